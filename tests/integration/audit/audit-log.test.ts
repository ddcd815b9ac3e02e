/** The hash-chained audit log and the database's refusal to change it, on both backends. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createAuditLog, GENESIS_HASH, hashAuditEntry, verifyAuditChain, writeCheckpoint } from '../../../src/audit';
import type { SqlStore } from '../../../src/store';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { auditInput } from '../../support/store-fixtures';

describe.each(BACKENDS)('audit log on %s', (backend) => {
  // One database for the file: the audit tables cannot be emptied, so each test works from the
  // head of the chain it finds.
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  const count = async (): Promise<number> =>
    Number((await store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('starts with an empty trail that verifies and has no checkpoint', async () => {
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: 0 });
    expect(await writeCheckpoint(store.db)).toBeNull();
  });

  it('appends a chain that links each entry to the one before and verifies', async () => {
    const requestId = randomUUID();
    const appended = [];
    appended.push(await store.transaction((uow) => uow.audit.append(auditInput({ requestId, action: 'submit' }))));
    appended.push(await store.read.audit.append(auditInput({ requestId: null, action: 'role_changed', fromState: null, toState: null, reason: null, detail: null, httpRequestId: null })));
    appended.push(await store.transaction((uow) => uow.audit.append(auditInput({ requestId, action: 'agree' }))));

    expect(appended.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(appended.map((e) => e.prevHash)).toEqual([GENESIS_HASH, appended[0]?.hash, appended[1]?.hash]);
    for (const entry of appended) {
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.id).toMatch(/^[0-9a-f-]{36}$/);
      const { hash, ...rest } = entry;
      expect(hashAuditEntry(rest)).toBe(hash);
    }
    expect(appended[1]).toMatchObject({ requestId: null, action: 'role_changed', fromState: null, toState: null, reason: null, detail: null, httpRequestId: null });

    const forRequest = await store.read.audit.listForRequest(requestId);
    expect(forRequest).toEqual([appended[0], appended[2]]);
    expect(forRequest[0]).toEqual({
      ...auditInput({ requestId, action: 'submit' }),
      seq: 1,
      id: appended[0]?.id,
      prevHash: GENESIS_HASH,
      hash: appended[0]?.hash,
    });
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: 3 });
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
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: await count() });
  });

  it('keeps one gapless order when many transactions append at once', async () => {
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
    const entries = await store.db.selectFrom('audit_entries').select(['seq', 'request_id', 'action']).where('seq', '>', before).orderBy('seq').execute();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: transactions * 2 }, (_, i) => before + i + 1));
    // The chain lock is held to the end of the transaction, so each one's entries sit together.
    for (let i = 0; i < entries.length; i += 2) {
      expect([entries[i]?.action, entries[i + 1]?.action]).toEqual(['first', 'second']);
      expect(entries[i + 1]?.request_id).toBe(entries[i]?.request_id);
    }
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: before + transactions * 2 });
  });

  it.each([
    ['UPDATE', 'audit_entries', sql`UPDATE audit_entries SET reason = 'rewritten'`],
    ['DELETE', 'audit_entries', sql`DELETE FROM audit_entries WHERE seq = 1`],
    ['TRUNCATE', 'audit_entries', sql`TRUNCATE audit_entries`],
    ['UPDATE', 'audit_checkpoints', sql`UPDATE audit_checkpoints SET hash = 'x'`],
    ['DELETE', 'audit_checkpoints', sql`DELETE FROM audit_checkpoints`],
    ['TRUNCATE', 'audit_checkpoints', sql`TRUNCATE audit_checkpoints`],
  ])('refuses %s on %s', async (operation, table, statement) => {
    const entry = await store.read.audit.append(auditInput({ requestId: randomUUID() }));
    // A row in each table, so that row triggers have something to refuse.
    await writeCheckpoint(store.db);
    const checkpoints = await store.db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
    await expect(statement.execute(store.db)).rejects.toThrow(`The audit trail is append-only: ${operation} on ${table} is not allowed`);
    expect(await store.read.audit.listForRequest(entry.requestId ?? '')).toEqual([entry]);
    expect(await store.db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute()).toEqual(checkpoints);
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: await count() });
  });

  it('writes checkpoints every N entries and on request', async () => {
    const log = createAuditLog(store.db, { checkpointEvery: 3 });
    // Start just after a multiple of 3 so that the next seven entries pass exactly two of them.
    while ((await count()) % 3 !== 0) await log.append(auditInput({ action: 'filler' }));
    const before = await count();
    const entries = [];
    for (let i = 0; i < 7; i += 1) entries.push(await log.append(auditInput({ action: `step-${i}` })));

    const newCheckpoints = () => store.db.selectFrom('audit_checkpoints').selectAll().where('seq', '>', before).orderBy('seq').execute();
    expect(await newCheckpoints()).toEqual([
      { seq: before + 3, hash: entries[2]?.hash, at: entries[2]?.at },
      { seq: before + 6, hash: entries[5]?.hash, at: entries[5]?.at },
    ]);

    const at = new Date('2026-11-25T18:00:00.000Z');
    const head = { seq: before + 7, hash: entries[6]?.hash, at: at.toISOString() };
    expect(await writeCheckpoint(store.db, at)).toEqual(head);
    expect(await writeCheckpoint(store.db, new Date())).toEqual(head);
    expect((await newCheckpoints()).map((c) => c.seq)).toEqual([before + 3, before + 6, before + 7]);
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: before + 7 });
  });
});
