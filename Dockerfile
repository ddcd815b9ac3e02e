# Social Media Checks for container hosts: build with the dev dependencies, run with only the
# runtime ones, as the unprivileged `node` user. Settings as in docs/deploy.md (NODE_ENV=production
# is set here; give DATABASE_URL, the TEAMS_* and BOT_* settings at run time).

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3978 DATA_DIR=/var/lib/smc
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/tab/dist ./tab/dist
RUN mkdir -p /var/lib/smc && chown node:node /var/lib/smc
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--max-semi-space-size=128", "dist/src/main/start.js"]
