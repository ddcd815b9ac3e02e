/**
 * A PostgreSQL server dropping an idle pooled connection is logged, and the pool carries on; the
 * pool itself keeps idle connections through pauses and closes them after POOL_IDLE_TIMEOUT_MS.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, POOL_IDLE_TIMEOUT_MS } from '../../../src/store';
import type { Database } from '../../../src/store';

const ROOT = path.join(__dirname, '..', '..', '..');

const serverUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with jest (global-setup starts the server).');
  return url;
};

const backendPid = async (db: Kysely<Database>): Promise<number> => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0]!.pid;

/** Ends a session from outside, as a server restart or an idle timeout in a proxy does. */
async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

describe('the PostgreSQL pool', () => {
  it('reports a dropped idle connection to onPoolError and answers the next query on a new one', async () => {
    let report!: (error: Error) => void;
    const reported = new Promise<Error>((resolve) => (report = resolve));
    const { db } = await openDatabase({ databaseUrl: serverUrl(), dataDir: ':memory:', poolSize: 1, onPoolError: (error) => report(error) });
    try {
      const pid = await backendPid(db);
      await terminate(pid);
      expect((await reported).message).toMatch(/terminat/i);
      expect(await backendPid(db)).not.toBe(pid);
    } finally {
      await db.destroy();
    }
  });

  it('writes the dropped connection to standard error when nobody asked to hear of it', async () => {
    let written!: (line: string) => void;
    const line = new Promise<string>((resolve) => (written = resolve));
    const spy = jest.spyOn(console, 'error').mockImplementation((text: unknown) => written(String(text)));
    const { db } = await openDatabase({ databaseUrl: serverUrl(), dataDir: ':memory:', poolSize: 1 });
    try {
      await terminate(await backendPid(db));
      expect(await line).toMatch(/^PostgreSQL dropped an idle pooled connection: .*terminat/i);
    } finally {
      spy.mockRestore();
      await db.destroy();
    }
  });

  it('keeps an idle connection through a pause (node-postgres closes it after 10 s) and closes it after POOL_IDLE_TIMEOUT_MS', async () => {
    // Only the timers: the connection's own I/O must go on as it does.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance', 'Date'] });
    let db: Kysely<Database> | undefined;
    try {
      ({ db } = await openDatabase({ databaseUrl: serverUrl(), dataDir: ':memory:', poolSize: 1 }));
      const pid = await backendPid(db);
      jest.advanceTimersByTime(60_000);
      expect(await backendPid(db)).toBe(pid);
      jest.advanceTimersByTime(POOL_IDLE_TIMEOUT_MS + 1);
      expect(await backendPid(db)).not.toBe(pid);
    } finally {
      jest.useRealTimers();
      await db?.destroy();
    }
  });

  it('lets a process whose pool is idle exit without closing it', async () => {
    const script = `const { openDatabase } = require('./src/store'); const { sql } = require('kysely');
      void openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL, dataDir: ':memory:' }).then(({ db }) => sql\`select 1\`.execute(db)).then(() => console.log('queried'));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let deadline: NodeJS.Timeout | undefined;
    const exited = await Promise.race([once(child, 'exit').then(([code]) => code as number), new Promise<string>((resolve) => (deadline = setTimeout(() => resolve('still running'), 20_000)))]);
    // Neither the deadline nor the child outlives the test.
    clearTimeout(deadline);
    child.kill();
    expect(output).toContain('queried');
    expect(exited).toBe(0);
  }, 30_000);
});
