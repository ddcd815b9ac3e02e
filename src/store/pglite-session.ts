/**
 * Embedded PGlite, as the PGlite dialect uses it: one session. It runs in this thread (the tests,
 * the scripts) or, for `npm start`, in a worker thread of its own: opening PGlite runs a good part
 * of PostgreSQL in WebAssembly, over a second of CPU that on the main thread kept the server from
 * loading its modules until it was done; in its own thread both happen at once. There each query
 * is a message there and back, a few tens of microseconds that the tests' thousands of queries on
 * hundreds of databases would pay for nothing.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path, { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { pgliteFiles } from './pglite-files';
import { TEXT_PARSERS } from './value-parsers';

/** What the PGlite dialect needs of the database: one session. */
export interface PGliteSession {
  query<R>(sql: string, params: readonly unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** Messages to the worker thread (./pglite-thread) and its answers. */
export type ToPGliteThread = { id: number; sql: string; params: readonly unknown[] } | { id: number; close: true };
export type FromPGliteThread =
  | { ready: true }
  | { failed: ThreadError }
  | { id: number; rows: unknown[]; affectedRows?: number }
  | { id: number; error: ThreadError }
  | { id: number; closed: true };
/** An error as it crosses the threads: its message, name and PostgreSQL's fields (code, detail, constraint…). */
export type ThreadError = { message: string; name: string } & Record<string, unknown>;

export interface PGliteThreadData {
  dataDir: string;
}

function rebuilt(crossed: ThreadError): Error {
  const { message, name, ...fields } = crossed;
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, fields);
}

/** The thread's module, compiled beside this file, or from the sources through tsx (tests, `npm start` before a build). */
function startThread(workerData: PGliteThreadData): Worker {
  const compiled = path.join(__dirname, 'pglite-thread.js');
  if (existsSync(compiled)) return new Worker(compiled, { workerData });
  const source = path.join(__dirname, 'pglite-thread.ts');
  return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(source)});`, { eval: true, workerData });
}

/** PGlite in this thread, its WebAssembly compiled once and shared by every database opened here (./pglite-files). */
export async function openPGlite(dataDir: string): Promise<PGliteSession> {
  // Loaded only when used: a server on PostgreSQL, and the audit verifier, start faster without it.
  const { PGlite } = await import('@electric-sql/pglite');
  const options = { parsers: TEXT_PARSERS, ...(await pgliteFiles()) };
  let pglite: PGlite;
  if (dataDir === ':memory:') {
    pglite = new PGlite(options);
  } else {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pglite = new PGlite(dir, options);
  }
  try {
    await pglite.waitReady;
  } catch (error) {
    // PGlite loads parts of itself with import(), which jest's sandbox allows only with this flag.
    if (error instanceof TypeError && error.message.includes('--experimental-vm-modules')) {
      throw new Error('PGlite under jest needs NODE_OPTIONS=--experimental-vm-modules: run the tests with `npm test`.', { cause: error });
    }
    throw error;
  }
  return {
    get closed() {
      return pglite.closed;
    },
    query: (sql, params) => pglite.query(sql, [...params]),
    close: () => pglite.close(),
  };
}

/** PGlite in a worker thread (./pglite-thread), started at once; resolves when the database is open. */
export async function openPGliteInThread(dataDir: string): Promise<PGliteSession> {
  const worker = startThread({ dataDir });
  const waiting = new Map<number, { resolve: (message: FromPGliteThread) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  /** Set once the thread has stopped or the database was closed: every later query is refused with it. */
  let stopped: Error | null = null;
  // The thread keeps the process alive only while something waits on it, as PGlite in this
  // thread did: an idle open database does not hold a finished script open.
  const settle = (id: number) => {
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromPGliteThread) => {
      if ('ready' in message) return resolve();
      if ('failed' in message) return reject(rebuilt(message.failed));
      const pending = waiting.get(message.id);
      settle(message.id);
      pending?.resolve(message);
    });
    const stop = (error: Error) => {
      stopped ??= error;
      reject(error);
      for (const [id, pending] of waiting) {
        settle(id);
        pending.reject(error);
      }
    };
    worker.on('error', (error) => stop(new Error(`The embedded database stopped: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => stop(new Error(`The embedded database stopped (exit code ${code}).`)));
  });
  const ask = (message: Omit<Extract<ToPGliteThread, { sql: string }>, 'id'> | { close: true }): Promise<FromPGliteThread> => {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...message });
    });
  };
  await ready;
  worker.unref();
  return {
    get closed() {
      return stopped !== null;
    },
    async query<R>(sql: string, params: readonly unknown[]) {
      const answer = await ask({ sql, params });
      if ('error' in answer) throw rebuilt(answer.error);
      if (!('rows' in answer)) throw new Error('The embedded database answered a query with something else.');
      return { rows: answer.rows as R[], ...(answer.affectedRows === undefined ? {} : { affectedRows: answer.affectedRows }) };
    },
    async close() {
      if (stopped) return;
      const answer = await ask({ close: true });
      stopped ??= new Error('The embedded database stopped: it was closed.');
      if ('error' in answer) throw rebuilt(answer.error);
    },
  };
}
