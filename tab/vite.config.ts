/** Builds the tab into tab/dist, which the server serves at `/` (with SPA fallback). */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ command }) => {
  // The built tab is what the server serves: never React's development build, even when the
  // build runs under NODE_ENV=test (jest) or development.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root,
    base: '/',
    plugins: [react()],
    build: {
      outDir: fileURLToPath(new URL('./dist', import.meta.url)),
      emptyOutDir: true,
      sourcemap: false,
      // The manifest lets tab/scripts/size.ts follow the first page's chunk graph.
      manifest: true,
      chunkSizeWarningLimit: 800,
    },
    server: {
      port: Number(process.env.TAB_DEV_PORT ?? 5173),
      // `npm run dev:tab` talks to the API started separately by `npm start`.
      proxy: { '/api': `http://localhost:${process.env.PORT ?? 3978}` },
    },
  };
});
