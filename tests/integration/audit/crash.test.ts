/**
 * Nothing a decision wrote goes unlinked after a crash: a process commits an audit entry and is
 * killed (kill -9) before any sequencer links it; the server started afterwards links it, and the
 * chain verifies. On both backends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { verifyAuditChain } from '../../../src/audit';
import { buildServer } from '../../../src/main/server';
import { loadConfig } from '../../../src/server/config';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../support/databases';

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

  it('leaves the entry committed, and the restarted server links it', async () => {
    const requestId = randomUUID();
    const id = await commitThenKill(database, requestId);

    const store = await database.open();
    const before = await store.read.audit.listForRequest(requestId);
    expect(before).toEqual([expect.objectContaining({ id, action: 'agree', seq: null, hash: null })]);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, checked: 0, unlinked: 1 });

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
    } finally {
      await server.close();
    }
    // Starting PGlite three times on a shared machine can take minutes.
  }, 300_000);
});
