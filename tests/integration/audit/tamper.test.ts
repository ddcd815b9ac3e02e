/**
 * Tampering with the audit trail behind the database's back (as a superuser who disables the
 * triggers) is caught by verifyAuditChain and by `npm run audit:verify`, on both backends — and
 * the checkpoints published outside the database catch what the database alone cannot: a chain
 * rewritten from an edited entry onwards with its in-database checkpoints recomputed.
 *
 * Each test starts from a fresh database of 12 linked entries, with signed checkpoints of entries
 * 1–6 and 1–12 published to a folder.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import {
  anchorCheckpoint,
  checkpointFileName,
  createCheckpointSigner,
  folderCheckpointStore,
  hashAuditEntry,
  linkPending,
  readPublished,
  verifyAuditChain,
  type AuditVerification,
  type CheckpointSigner,
} from '../../../src/audit';
import { rowToAuditEntry } from '../../../src/audit/log';
import { DISPOSAL_ACTION } from '../../../src/domain/disposal-action';
import type { SqlStore } from '../../../src/store';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../support/databases';
import { auditInput } from '../../support/store-fixtures';

const ROOT = path.join(__dirname, '..', '..', '..');
const ENTRIES = 12;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe.each(BACKENDS)('tampering on %s', (backend) => {
  let database: TestDatabase;
  let folder: string;
  let signer: CheckpointSigner;
  let publicKey: KeyObject;

  beforeEach(async () => {
    database = await freshDatabase(backend);
    folder = mkdtempSync(path.join(tmpdir(), 'smc-checkpoints-'));
    const { privateKey } = generateKeyPairSync('ed25519');
    signer = createCheckpointSigner(privateKey);
    publicKey = signer.publicKey;
    const store = await database.open();
    try {
      for (let i = 1; i <= ENTRIES; i += 1) {
        await store.transaction((uow) => uow.audit.append(auditInput({ requestId: `request-${i % 3}`, action: `step-${i}` })));
        if (i === 6) await anchorCheckpoint(store.db, signer, folderCheckpointStore(folder), new Date('2026-11-29T00:00:00Z'));
      }
      await anchorCheckpoint(store.db, signer, folderCheckpointStore(folder), new Date('2026-11-30T00:00:00Z'));
    } finally {
      await store.close();
    }
  });
  afterEach(async () => {
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  function auditVerifyCli(): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['DATABASE_URL', 'DATA_DIR', 'NODE_OPTIONS', 'AUDIT_SIGNING_KEY', 'EVIDENCE_STORE']) delete env[name];
    Object.assign(env, database.env, {
      AUDIT_CHECKPOINT_DIR: folder,
      // The verifier needs only the public key.
      AUDIT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    return new Promise((resolve) => {
      execFile('npm', ['run', '--silent', 'audit:verify'], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function withStore<T>(work: (store: SqlStore) => Promise<T>): Promise<T> {
    const store = await database.open();
    try {
      return await work(store);
    } finally {
      // PGlite allows one process per data directory: close before the CLI opens it.
      await store.close();
    }
  }

  /** Runs statements with the append-only triggers disabled. */
  async function tamper(store: SqlStore, ...statements: RawBuilder<unknown>[]): Promise<void> {
    await sql`ALTER TABLE audit_entries DISABLE TRIGGER USER`.execute(store.db);
    await sql`ALTER TABLE audit_checkpoints DISABLE TRIGGER USER`.execute(store.db);
    for (const statement of statements) await statement.execute(store.db);
    await sql`ALTER TABLE audit_entries ENABLE TRIGGER USER`.execute(store.db);
    await sql`ALTER TABLE audit_checkpoints ENABLE TRIGGER USER`.execute(store.db);
    await expect(sql`DELETE FROM audit_entries`.execute(store.db)).rejects.toThrow('append-only');
  }

  /** Verifies against the database alone, and against the published checkpoints with the key. */
  async function verifyBoth(store: SqlStore): Promise<{ alone: AuditVerification; anchored: AuditVerification }> {
    const alone = await verifyAuditChain(store.db);
    const anchored = await verifyAuditChain(store.db, { published: await readPublished(folderCheckpointStore(folder)), publicKeys: [publicKey] });
    return { alone, anchored };
  }

  /** What someone who controls the database can do: edit entry `from`, then recompute every hash after it and the checkpoints. */
  async function rewriteFrom(store: SqlStore, from: number, blank = false): Promise<void> {
    const rows = await store.db.selectFrom('audit_entries').selectAll().orderBy('seq').execute();
    const statements: RawBuilder<unknown>[] = [];
    let prevHash = '';
    const rewritten = new Map<number, string>();
    for (const row of rows) {
      const entry = rowToAuditEntry(row);
      if (entry.seq === null || entry.hash === null || entry.prevHash === null) continue;
      if (entry.seq < from) {
        prevHash = entry.hash;
        continue;
      }
      const reason = entry.seq === from ? 'Nothing to see here' : entry.reason;
      const hash = hashAuditEntry({ ...entry, reason, seq: entry.seq, prevHash });
      statements.push(sql`UPDATE audit_entries SET reason = ${reason}, prev_hash = ${prevHash}, hash = ${hash} WHERE seq = ${entry.seq}`);
      rewritten.set(entry.seq, hash);
      prevHash = hash;
    }
    // The checkpoints the rewrite contradicts cannot be re-signed, so whoever rewrites removes them
    // (or, with `blank`, recomputes them unsigned).
    if (blank) {
      for (const [seq, hash] of rewritten) statements.push(sql`UPDATE audit_checkpoints SET hash = ${hash}, key_id = NULL, signature = NULL WHERE seq = ${seq}`);
    } else {
      statements.push(sql`DELETE FROM audit_checkpoints WHERE seq >= ${from}`);
    }
    await tamper(store, ...statements);
  }

  it('reports an intact chain that matches its published checkpoints', async () => {
    const result = await withStore(async (store) => verifyBoth(store));
    expect(result.anchored).toEqual({
      ok: true,
      checked: ENTRIES,
      unlinked: 0,
      anchors: 2,
      latestAnchor: { treeSize: ENTRIES, timestamp: '2026-11-30T00:00:00.000Z' },
    });
    expect(readdirSync(folder).sort()).toEqual([
      checkpointFileName({ treeSize: 6, timestamp: '2026-11-29T00:00:00.000Z' }),
      checkpointFileName({ treeSize: 12, timestamp: '2026-11-30T00:00:00.000Z' }),
    ]);
    const cli = await auditVerifyCli();
    expect(cli.stdout).toContain(`Audit chain intact: ${ENTRIES} entries`);
    expect(cli.stdout).toContain('Matches 2 published checkpoints');
    expect(cli.code).toBe(0);
  });

  it('detects an edited entry', async () => {
    const { anchored } = await withStore(async (store) => {
      await tamper(store, sql`UPDATE audit_entries SET reason = 'Nothing to see here' WHERE seq = 5`);
      return verifyBoth(store);
    });
    expect(anchored).toMatchObject({ ok: false, checked: 4, firstBad: { seq: 5, problem: 'its contents do not match its hash: the entry was edited' } });
    const cli = await auditVerifyCli();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('Audit chain broken at seq 5: its contents do not match its hash');
  });

  it('detects an entry deleted from the middle', async () => {
    const { alone, anchored } = await withStore(async (store) => {
      await tamper(store, sql`DELETE FROM audit_entries WHERE seq = 8`);
      return verifyBoth(store);
    });
    const firstBad = { seq: 8, problem: 'entry 8 is missing (the next entry is 9): entries were deleted or renumbered' };
    expect(alone).toMatchObject({ ok: false, checked: 7, firstBad });
    expect(anchored).toMatchObject({ ok: false, checked: 7, firstBad });
  });

  it('detects two entries swapped', async () => {
    const { anchored } = await withStore(async (store) => {
      await tamper(
        store,
        sql`UPDATE audit_entries SET seq = 1000 WHERE seq = 2`,
        sql`UPDATE audit_entries SET seq = 2 WHERE seq = 3`,
        sql`UPDATE audit_entries SET seq = 3 WHERE seq = 1000`,
      );
      return verifyBoth(store);
    });
    expect(anchored).toMatchObject({ ok: false, checked: 1, firstBad: { seq: 2, problem: 'its previous hash does not match entry 1: entries were replaced or reordered' } });
  });

  it('detects the end of the trail cut off, with the checkpoints in the database removed too, by the published checkpoint', async () => {
    const { alone, anchored } = await withStore(async (store) => {
      await tamper(store, sql`DELETE FROM audit_entries WHERE seq > 9`, sql`DELETE FROM audit_checkpoints WHERE seq > 9`);
      return verifyBoth(store);
    });
    // Nothing in the database shows it any more...
    expect(alone).toMatchObject({ ok: true, checked: 9 });
    // ...but the checkpoint published outside it does.
    expect(anchored).toMatchObject({
      ok: false,
      checked: 9,
      firstBad: {
        seq: 10,
        problem: 'entries 10 to 12 are missing: the checkpoint published at 2026-11-30T00:00:00.000Z records entry 12, so the end of the trail was removed',
      },
    });
    const cli = await auditVerifyCli();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('Audit chain broken at seq 10: entries 10 to 12 are missing');
  });

  it('detects a chain rewritten from an edited entry onwards with its checkpoints recomputed, by the published checkpoints', async () => {
    const { alone, anchored } = await withStore(async (store) => {
      await rewriteFrom(store, 5);
      return verifyBoth(store);
    });
    // The database is consistent with itself again: on its own, the rewrite passes.
    expect(alone).toMatchObject({ ok: true, checked: ENTRIES });
    expect(anchored).toMatchObject({
      ok: false,
      checked: 5,
      firstBad: { seq: 6, problem: 'it does not match the checkpoint published at 2026-11-29T00:00:00.000Z: the chain was rewritten' },
    });
    const cli = await auditVerifyCli();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('Audit chain broken at seq 6: it does not match the checkpoint published at 2026-11-29T00:00:00.000Z');
  });

  it('detects a rewrite whose checkpoints in the database were recomputed without a signature, with no published checkpoint to compare', async () => {
    const result = await withStore(async (store) => {
      await rewriteFrom(store, 5, true);
      return verifyAuditChain(store.db, { publicKeys: [publicKey] });
    });
    expect(result).toMatchObject({
      ok: false,
      firstBad: { seq: 6, problem: 'the checkpoint in the database at seq 6 carries no signature: checkpoints were rewritten, or written by a server without AUDIT_SIGNING_KEY' },
    });
  });

  it('detects published checkpoints replaced with ones signed by another key', async () => {
    const impostor = createCheckpointSigner(generateKeyPairSync('ed25519').privateKey);
    const { anchored, forged } = await withStore(async (store) => {
      await rewriteFrom(store, 5);
      // Whoever rewrote the chain also rewrites the published files, but cannot sign as we do.
      const head = await store.db.selectFrom('audit_entries').select(['seq', 'hash']).where('seq', 'in', [6, 12]).orderBy('seq').execute();
      for (const name of readdirSync(folder)) {
        const original = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as { treeSize: number; timestamp: string };
        const headHash = head.find((h) => h.seq === original.treeSize)?.hash ?? '';
        writeFileSync(path.join(folder, name), JSON.stringify(impostor.sign({ treeSize: original.treeSize, headHash, timestamp: original.timestamp })));
      }
      const result = await verifyBoth(store);
      await linkPending(store.db);
      return { ...result, forged: await verifyAuditChain(store.db, { published: await readPublished(folderCheckpointStore(folder)) }) };
    });
    // Without the key the forgery would pass; with it, it does not.
    expect(forged).toMatchObject({ ok: true });
    expect(anchored).toMatchObject({ ok: false, firstBad: { seq: 6, problem: expect.stringMatching(/^the published checkpoint checkpoint-000000000006-.*\.json does not carry our signature$/) } });
  });

  it('detects a published checkpoint that is not one', async () => {
    writeFileSync(path.join(folder, 'checkpoint-000000000012-20261130T120000000Z.json'), '{"treeSize": "twelve"}');
    const { anchored } = await withStore(async (store) => verifyBoth(store));
    expect(anchored).toMatchObject({
      ok: false,
      firstBad: { problem: 'the published checkpoint checkpoint-000000000012-20261130T120000000Z.json cannot be read: it was damaged or replaced' },
    });
  });

  it('refuses a redaction vouched for by a disposal of another request, or by one written before the entry', async () => {
    const verdicts = await withStore(async (store) => {
      // Entry 5 is about request-2. Someone appends a disposal of request-0 naming it, then clears it.
      const [five] = (await sql<{ body_hash: string }>`select body_hash from audit_entries where seq = 5`.execute(store.db)).rows;
      if (!five) throw new Error('no entry 5');
      await store.transaction((uow) => uow.audit.append(auditInput({ action: DISPOSAL_ACTION, requestId: 'request-0', detail: { redacted: [{ seq: 5, bodyHash: five.body_hash }] } })));
      await linkPending(store.db);
      await tamper(store, sql`UPDATE audit_entries SET redacted_at = now(), reason = NULL, detail = NULL, actor_id = 'sd-9', action = 'refuse' WHERE seq = 5`);
      return verifyAuditChain(store.db);
    });
    const problem = 'its contents were cleared, but the disposal naming it (entry 13) is not a later disposal of its own request: the entry was edited';
    expect(verdicts).toMatchObject({ ok: false, firstBad: { seq: 5, problem } });
    // The command (on PostgreSQL, its fast path over COPY) says the same.
    const cli = await auditVerifyCli();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`Audit chain broken at seq 5: ${problem}`);
  });

  describe('streamed in batches smaller than the chain', () => {
    /** The walk with `batchSize` entries per read, against the published checkpoints. */
    async function verifyInBatches(store: SqlStore, batchSize: number): Promise<AuditVerification> {
      return verifyAuditChain(store.db, { published: await readPublished(folderCheckpointStore(folder)), publicKeys: [publicKey], batchSize });
    }

    it('reports the whole chain intact, whether or not the last batch is full', async () => {
      const results = await withStore(async (store) => [await verifyInBatches(store, 5), await verifyInBatches(store, 4), await verifyInBatches(store, 1)]);
      for (const result of results) {
        expect(result).toEqual({ ok: true, checked: ENTRIES, unlinked: 0, anchors: 2, latestAnchor: { treeSize: ENTRIES, timestamp: '2026-11-30T00:00:00.000Z' } });
      }
    });

    it('finds an entry edited in a later batch', async () => {
      const result = await withStore(async (store) => {
        await tamper(store, sql`UPDATE audit_entries SET reason = 'Nothing to see here' WHERE seq = 11`);
        return verifyInBatches(store, 5);
      });
      expect(result).toMatchObject({ ok: false, checked: 10, firstBad: { seq: 11, problem: 'its contents do not match its hash: the entry was edited' } });
    });

    it('finds an entry deleted at the end of a batch', async () => {
      const result = await withStore(async (store) => {
        await tamper(store, sql`DELETE FROM audit_entries WHERE seq = 10`);
        return verifyInBatches(store, 5);
      });
      expect(result).toMatchObject({ ok: false, checked: 9, firstBad: { seq: 10, problem: 'entry 10 is missing (the next entry is 11): entries were deleted or renumbered' } });
    });

    it('finds a chain rewritten in a later batch by the checkpoint published at its end', async () => {
      const result = await withStore(async (store) => {
        await rewriteFrom(store, 9);
        return verifyInBatches(store, 4);
      });
      expect(result).toMatchObject({ ok: false, checked: 11, firstBad: { seq: 12, problem: expect.stringContaining('the chain was rewritten') } });
    });
  });
});
