/**
 * The audit log: entries written without a place, linked into the hash chain after commit by the
 * sequencer, and the database's refusal to change them otherwise — on both backends.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import {
  checkpointSignatureValid,
  createCheckpointSigner,
  GENESIS_HASH,
  hashAuditEntry,
  linkPending,
  verifyAuditChain,
  writeCheckpoint,
  type SignedCheckpoint,
} from '../../../src/audit';
import type { AuditEntry, AuditEntryInput } from '../../../src/app/ports';
import type { SqlStore } from '../../../src/store';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../support/databases';
import { auditInput } from '../../support/store-fixtures';

const linked = (entry: AuditEntry | undefined) => {
  if (!entry || entry.seq === null || entry.prevHash === null) throw new Error('The entry is not linked.');
  return { ...entry, seq: entry.seq, prevHash: entry.prevHash };
};

describe.each(BACKENDS)('audit log on %s', (backend) => {
  // One database for the file: the audit tables cannot be emptied, so each test works from the
  // head of the chain it finds.
  let database: TestDatabase;
  let store: SqlStore;
  beforeAll(async () => {
    database = await freshDatabase(backend);
    store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });
  const count = async (): Promise<number> =>
    Number((await store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const ok = (checked: number) => ({ ok: true, checked, unlinked: 0, anchors: 0, latestAnchor: null });

  it('starts with an empty trail that verifies and has no checkpoint', async () => {
    expect(await verifyAuditChain(store.db)).toEqual(ok(0));
    expect(await writeCheckpoint(store.db)).toBeNull();
    expect(await linkPending(store.db)).toEqual({ linked: 0, busy: false });
  });

  it('shows an entry as soon as it commits, and links it into the chain after', async () => {
    const requestId = randomUUID();
    const appended = [];
    appended.push(await store.transaction((uow) => uow.audit.append(auditInput({ requestId, action: 'submit' }))));
    appended.push(await store.read.audit.append(auditInput({ requestId: null, action: 'role_changed', fromState: null, toState: null, reason: null, detail: null, httpRequestId: null })));
    appended.push(await store.transaction((uow) => uow.audit.append(auditInput({ requestId, action: 'agree' }))));
    for (const entry of appended) {
      expect(entry).toMatchObject({ seq: null, prevHash: null, hash: null });
      expect(entry.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Readers see committed entries before the sequencer has run, in the order they were written.
    expect(await store.read.audit.listForRequest(requestId)).toEqual([appended[0], appended[2]]);
    expect(await verifyAuditChain(store.db)).toEqual({ ...ok(0), unlinked: 3 });

    expect(await linkPending(store.db)).toEqual({ linked: 3, busy: false });
    const forRequest = await store.read.audit.listForRequest(requestId);
    expect(forRequest.map((e) => [e.action, e.seq])).toEqual([['submit', 1], ['agree', 3]]);
    const chain = (await store.db.selectFrom('audit_entries').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute());
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain.map((e) => e.prev_hash)).toEqual([GENESIS_HASH, chain[0]?.hash, chain[1]?.hash]);
    const first = linked(forRequest[0]);
    expect(first).toEqual({ ...auditInput({ requestId, action: 'submit' }), id: appended[0]?.id, seq: 1, prevHash: GENESIS_HASH, hash: chain[0]?.hash });
    expect(hashAuditEntry(first)).toBe(first.hash);
    expect(await verifyAuditChain(store.db)).toEqual(ok(3));
  });

  it('stores time and detail in the form it hashes, so the chain still verifies after a round trip', async () => {
    const requestId = randomUUID();
    const entry = await store.read.audit.append(
      auditInput({
        requestId,
        at: '2026-06-01T10:00:00+01:00',
        detail: { z: 'last', a: 'first', skipped: undefined, when: new Date('2026-06-01T09:00:00Z'), list: [{ b: 2, a: 1 }] },
      }),
    );
    expect(entry.at).toBe('2026-06-01T09:00:00.000Z');
    expect(entry.detail).toEqual({ z: 'last', a: 'first', when: '2026-06-01T09:00:00.000Z', list: [{ b: 2, a: 1 }] });
    expect(await store.read.audit.listForRequest(requestId)).toEqual([entry]);
    await linkPending(store.db);
    expect(await verifyAuditChain(store.db)).toEqual(ok(await count()));
  });

  it('verifies entries whose text JSON must escape, written out by the database as the application hashes it', async () => {
    // The verifier has PostgreSQL write the contents as JSON; any difference from JSON.stringify
    // would show as an edited entry.
    const awkward = 'quote " backslash \\ tab \t newline \n cr \r bell \u0007 del \u007f é ☃ 😀 \u2028 </script> \\u0041';
    await store.read.audit.append(
      auditInput({ requestId: awkward, reason: awkward, fromState: null, toState: null, detail: { [awkward]: awkward, n: 1.5, big: 1e21, list: [awkward, null, true] } }),
    );
    await linkPending(store.db);
    expect(await verifyAuditChain(store.db)).toEqual(ok(await count()));
  });

  it('takes no lock while writing: transactions with entries open at once all commit, and link into one gapless order', async () => {
    const transactions = 16;
    const before = await count();
    await Promise.all(
      Array.from({ length: transactions }, (_, t) =>
        store.transaction(async (uow) => {
          await uow.audit.append(auditInput({ requestId: `request-${t}`, action: 'first' }));
          await new Promise((resolve) => setTimeout(resolve, 5));
          await uow.audit.append(auditInput({ requestId: `request-${t}`, action: 'second' }));
        }),
      ),
    );
    await linkPending(store.db, { batchSize: 5 });
    const entries = await store.db.selectFrom('audit_entries').select(['seq', 'request_id', 'action']).where('seq', '>', before).orderBy('seq').execute();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: transactions * 2 }, (_, i) => before + i + 1));
    for (let t = 0; t < transactions; t += 1) {
      expect(entries.filter((e) => e.request_id === `request-${t}`).map((e) => e.action)).toEqual(['first', 'second']);
    }
    expect(await verifyAuditChain(store.db)).toEqual(ok(before + transactions * 2));
  });

  it.each([
    ['UPDATE', 'audit_entries', sql`UPDATE audit_entries SET reason = 'rewritten'`],
    ['UPDATE', 'audit_entries', sql`UPDATE audit_entries SET seq = seq + 1000000 WHERE seq IS NOT NULL`],
    ['DELETE', 'audit_entries', sql`DELETE FROM audit_entries WHERE seq = 1`],
    ['TRUNCATE', 'audit_entries', sql`TRUNCATE audit_entries`],
    ['UPDATE', 'audit_checkpoints', sql`UPDATE audit_checkpoints SET hash = 'x'`],
    ['DELETE', 'audit_checkpoints', sql`DELETE FROM audit_checkpoints`],
    ['TRUNCATE', 'audit_checkpoints', sql`TRUNCATE audit_checkpoints`],
  ])('refuses %s on %s', async (operation, table, statement) => {
    const entry = await store.read.audit.append(auditInput({ requestId: randomUUID() }));
    await linkPending(store.db);
    // A row in each table, so that row triggers have something to refuse.
    await writeCheckpoint(store.db);
    const entries = await store.db.selectFrom('audit_entries').selectAll().orderBy('position').execute();
    const checkpoints = await store.db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
    await expect(statement.execute(store.db)).rejects.toThrow(`The audit trail is append-only: ${operation} on ${table} is not allowed`);
    expect(await store.db.selectFrom('audit_entries').selectAll().orderBy('position').execute()).toEqual(entries);
    expect(await store.db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute()).toEqual(checkpoints);
    expect((await store.read.audit.listForRequest(entry.requestId ?? '')).map((e) => e.id)).toEqual([entry.id]);
    expect(await verifyAuditChain(store.db)).toEqual(ok(await count()));
  });

  it('refuses any change to an entry waiting to be linked but the linking itself', async () => {
    const entry = await store.read.audit.append(auditInput({ requestId: randomUUID() }));
    await expect(sql`UPDATE audit_entries SET reason = 'rewritten' WHERE id = ${entry.id}`.execute(store.db)).rejects.toThrow(
      'The audit trail is append-only: UPDATE on audit_entries is not allowed',
    );
    await expect(
      sql`UPDATE audit_entries SET seq = 999999, prev_hash = ${GENESIS_HASH}, hash = ${GENESIS_HASH}, reason = 'rewritten' WHERE id = ${entry.id}`.execute(store.db),
    ).rejects.toThrow('The audit trail is append-only: UPDATE on audit_entries is not allowed');
    expect(await linkPending(store.db)).toEqual({ linked: 1, busy: false });
    expect(await verifyAuditChain(store.db)).toEqual(ok(await count()));
  });

  it('writes a signed checkpoint whenever linking passes a multiple of N, and on request', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = createCheckpointSigner(privateKey);
    // Start on a multiple of 3 so that the next seven entries pass exactly two of them.
    while ((await count()) % 3 !== 0) await store.read.audit.append(auditInput({ action: 'filler' }));
    await linkPending(store.db);
    const before = await count();
    // Multiples are counted from the last checkpoint written, whoever wrote it.
    await writeCheckpoint(store.db, { signer });
    for (let i = 0; i < 7; i += 1) {
      await store.read.audit.append(auditInput({ action: `step-${i}` }));
      // Linked in runs of 1, 2, 1, 2, 1: the checkpoints fall on the head of the run that passes a multiple.
      if (i % 3 !== 1) await linkPending(store.db, { checkpointEvery: 3, signer });
    }
    const heads = await store.db.selectFrom('audit_entries').select(['seq', 'hash']).where('seq', '>', before).orderBy('seq').execute();
    const newCheckpoints = () => store.db.selectFrom('audit_checkpoints').selectAll().where('seq', '>', before).orderBy('seq').execute();
    const written = await newCheckpoints();
    expect(written.map((c) => c.seq)).toEqual([before + 3, before + 6]);
    for (const cp of written) {
      expect(cp.hash).toBe(heads.find((h) => h.seq === cp.seq)?.hash);
      const signed: SignedCheckpoint = { origin: 'social-media-checks/audit-chain/v1', treeSize: cp.seq, headHash: cp.hash, timestamp: cp.at, keyId: cp.key_id ?? '', signature: cp.signature ?? '' };
      expect(checkpointSignatureValid(signed, [signer.publicKey])).toBe(true);
      expect(checkpointSignatureValid({ ...signed, headHash: GENESIS_HASH }, [signer.publicKey])).toBe(false);
    }

    await linkPending(store.db);
    const at = new Date('2026-11-25T18:00:00.000Z');
    const head = { seq: before + 7, hash: heads[6]?.hash, at: at.toISOString() };
    expect(await writeCheckpoint(store.db, { at, signer })).toEqual(head);
    expect(await writeCheckpoint(store.db, { at: new Date(), signer })).toEqual(head);
    expect((await newCheckpoints()).map((c) => c.seq)).toEqual([before + 3, before + 6, before + 7]);
    // Earlier tests on this store wrote unsigned checkpoints, which a check with keys refuses (below).
    expect(await verifyAuditChain(store.db)).toEqual(ok(before + 7));
  });

  it('hashes what the database stores: a lone surrogate (stored as U+FFFD) and absent optional fields (stored as null) verify', async () => {
    await linkPending(store.db);
    const base = await count();
    const { httpRequestId: _h, reason: _r, requestId: _q, ...bare } = auditInput({ action: 'bare' });
    await store.read.audit.append(bare as AuditEntryInput);
    await store.read.audit.append(auditInput({ actorId: 'tm-\uD800', reason: 'half a pair \uDC00 here' }));
    await linkPending(store.db);
    // Before, both committed and audit:verify then reported them edited.
    expect(await verifyAuditChain(store.db)).toEqual(ok(base + 2));
  });

  it('makes up a checkpoint that was due but never written (its write failed, or the process died after linking)', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = createCheckpointSigner(privateKey);
    await linkPending(store.db);
    await writeCheckpoint(store.db, { signer });
    const base = await count();
    // Linking passed a multiple of 5 but no checkpoint was written: as if the process died in between.
    while ((await count()) < base + 6) await store.read.audit.append(auditInput({ action: 'filler' }));
    await linkPending(store.db, { checkpointEvery: 1_000_000 });
    const missed = () => store.db.selectFrom('audit_checkpoints').select('seq').where('seq', '>', base).orderBy('seq').execute();
    expect(await missed()).toEqual([]);
    // The next run makes it up, though it passes no multiple itself.
    await store.read.audit.append(auditInput({ action: 'later' }));
    expect(await linkPending(store.db, { checkpointEvery: 5, signer })).toMatchObject({ linked: 1 });
    expect(await missed()).toEqual([{ seq: base + 7 }]);
  });

  if (backend === 'PostgreSQL') {
    it('links with one sequencer at a time: another instance finds the chain busy and leaves it', async () => {
      await store.read.audit.append(auditInput({ action: 'waiting' }));
      const url = 'DATABASE_URL' in database.env ? database.env.DATABASE_URL : '';
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      try {
        await other.query('BEGIN');
        expect((await other.query('SELECT audit_link(1000) AS n')).rows[0]).toEqual({ n: 1 });
        // The other instance's run is still open: this one must not link the same entries again.
        await store.read.audit.append(auditInput({ action: 'meanwhile' }));
        expect(await linkPending(store.db)).toEqual({ linked: 0, busy: true });
        await other.query('COMMIT');
      } finally {
        await other.end();
      }
      expect(await linkPending(store.db)).toEqual({ linked: 1, busy: false });
      expect(await verifyAuditChain(store.db)).toEqual(ok(await count()));
    });
  }
});
