/**
 * PGlite's WebAssembly and its file bundle, read and compiled once per thread and shared by every
 * database the thread opens (the tests open hundreds; `npm start`'s PGlite thread opens one).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface PGliteFiles {
  wasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

let files: Promise<PGliteFiles> | undefined;

export function pgliteFiles(): Promise<PGliteFiles> {
  files ??= (async () => {
    // The package's own files beside its entry point, which it would otherwise read itself.
    const dist = dirname(require.resolve('@electric-sql/pglite'));
    const [wasm, bundle] = await Promise.all([readFile(join(dist, 'pglite.wasm')), readFile(join(dist, 'pglite.data'))]);
    return { wasmModule: await WebAssembly.compile(wasm), fsBundle: new Blob([bundle]) };
  })();
  return files;
}
