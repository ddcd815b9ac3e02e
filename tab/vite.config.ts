/** Builds the tab into tab/dist, which the server serves at `/` (with SPA fallback). */
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/**
 * Writes .br and .gz beside every text asset once the build is done, so the server sends them
 * pre-compressed (best compression once at build time, no CPU per request).
 */
function precompress(outDir: string): Plugin {
  const compressible = /\.(js|mjs|css|html|svg|json|txt)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  return {
    name: 'smc-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!compressible.test(file)) continue;
        const body = readFileSync(file);
        if (body.length < 512) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }));
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ command }) => {
  // The built tab is what the server serves: never React's development build, even when the
  // build runs under NODE_ENV=test (jest) or development.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root,
    base: '/',
    plugins: [react(), precompress(fileURLToPath(new URL('./dist', import.meta.url)))],
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
