/**
 * Nothing a decision wrote goes unlinked or unprojected after a crash: a process commits a decision
 * (its request and audit entry) and is killed (kill -9) before any sequencer links the entry or
 * any projector rebuilds the request's evaluation row; the server started afterwards does both, and
 * the chain verifies. On both backends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { verifyAuditChain } from '../../../src/audit';
import { buildServer } from '../../../src/main/server';
import { loadConfig } from '../../../src/server/config';
import type { Database } from '../../../src/store';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../support/databases';

/** The request's evaluation row as it stands, read without projecting anything first. */
async function evaluationRow(db: Kysely<Database>, requestId: string) {
  return db.selectFrom('evaluation_facts').select(['state', 'closing_action']).where('request_id', '=', requestId).executeTakeFirst();
}

async function notesFor(db: Kysely<Database>, requestId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from evaluation_pending where ${requestId} = any (request_ids)`.execute(db);
  return rows[0]?.n ?? -1;
}

const ROOT = path.join(__dirname, '..', '..', '..');
const children: ChildProcess[] = [];

// Never leave a child behind, whatever happens to a test.
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Runs the child until it reports its commit, then kills it with SIGKILL; resolves with the entry id. */
function commitThenKill(database: TestDatabase, requestId: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...database.env, REQUEST_ID: requestId };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'commit-then-hang.ts')], { cwd: ROOT, env });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const id = /committed ([0-9a-f-]{36})\n/.exec(out)?.[1];
      if (id) {
        child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(id) : reject(new Error(`The child ended by ${signal}.`))));
        child.kill('SIGKILL');
      }
    });
    child.once('exit', (code, signal) => {
      if (!/committed /.test(out)) reject(new Error(`The child ended (${code ?? signal}) before committing: ${err}`));
    });
  });
}

describe.each(BACKENDS)('a crash between commit and sequencing on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(backend);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('leaves the decision committed, and the restarted server links its entry and projects its request', async () => {
    const requestId = randomUUID();
    const id = await commitThenKill(database, requestId);

    const store = await database.open();
    const before = await store.read.audit.listForRequest(requestId);
    expect(before).toEqual([expect.objectContaining({ id, action: 'agree', seq: null, hash: null })]);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, checked: 0, unlinked: 1 });
    expect(await evaluationRow(store.db, requestId)).toBeUndefined();
    expect(await notesFor(store.db, requestId)).toBeGreaterThan(0);

    const server = await buildServer(loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent' }), { store, dispatch: false });
    try {
      // The sequencer's first run starts with the server; wait for it rather than running it here.
      let entries = await store.read.audit.listForRequest(requestId);
      while (entries[0]?.seq === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        entries = await store.read.audit.listForRequest(requestId);
      }
      expect(entries).toEqual([expect.objectContaining({ id, seq: 1, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, checked: 1, unlinked: 0 });
      // Likewise the projector's first run: nothing here reads the figures, which would project first.
      while ((await evaluationRow(store.db, requestId)) === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await evaluationRow(store.db, requestId)).toEqual({ state: 'awaiting_service_director', closing_action: 'agree' });
      expect(await notesFor(store.db, requestId)).toBe(0);
    } finally {
      await server.close();
    }
    // Starting PGlite three times on a shared machine can take minutes.
  }, 300_000);
});
