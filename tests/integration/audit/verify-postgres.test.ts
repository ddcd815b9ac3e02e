/**
 * `audit:verify` on PostgreSQL reads the entries as a binary COPY and writes each one's contents
 * out byte by byte (src/audit/verify-postgres.ts). It must reach the same verdict as the general
 * walk (verifyAuditChain), which reads the columns as the app does: on contents JSON must escape,
 * on times stored more finely than the app reads them, on redacted entries, and with any one
 * column of an entry edited.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { createCheckpointSigner, linkPending, verifyAuditChain, writeCheckpoint, type AuditVerification } from '../../../src/audit';
import { connectForVerify, EntryCopy, verifyAuditChainOnPostgres } from '../../../src/audit/verify-postgres';
import { ChainWalk } from '../../../src/audit/walk';
import { DISPOSAL_ACTION } from '../../../src/domain/disposal-action';
import type { SqlStore } from '../../../src/store';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { auditInput } from '../../support/store-fixtures';

const AWKWARD = 'quote " backslash \\ tab \t newline \n cr \r bell \u0007 del \u007f é ☃ 😀 \u2028 </script> \\u0041';

describe('audit:verify on PostgreSQL', () => {
  let database: TestDatabase;
  let store: SqlStore;
  let client: pg.Client;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  beforeAll(async () => {
    database = await freshDatabase('PostgreSQL');
    store = await database.open();
    client = await connectForVerify((database.env as { DATABASE_URL: string }).DATABASE_URL);
    const append = (overrides: Parameters<typeof auditInput>[0]) => store.read.audit.append(auditInput(overrides));
    await append({});
    await append({ requestId: AWKWARD, reason: AWKWARD, actorId: AWKWARD, fromState: null, toState: null });
    await append({ requestId: 'request-3', detail: { [AWKWARD]: AWKWARD, n: 1.5, big: 1e21, small: 1e-7, list: [AWKWARD, null, true, { b: 1, a: 2 }], 'é': 1, e: 2, Z: 3 } });
    await append({ requestId: null, reason: null, detail: null, httpRequestId: null, at: '2026-12-31T23:59:59.999Z' });
    await append({ at: '1999-12-31T23:59:59.001Z', reason: '' });
    await linkPending(store.db);
    // Stored to the microsecond behind the app's back: the app reads it to the millisecond, as it hashed it.
    await sql`ALTER TABLE audit_entries DISABLE TRIGGER USER`.execute(store.db);
    await sql`UPDATE audit_entries SET at = at + interval '987 microseconds' WHERE seq = 1`.execute(store.db);
    await sql`ALTER TABLE audit_entries ENABLE TRIGGER USER`.execute(store.db);
    // A disposal redacts entry 2, naming it with the hash of what it held.
    const redacted = await sql<{ position: string; body_hash: string }>`select position, body_hash from audit_entries where seq = 2`.execute(store.db);
    const row = redacted.rows[0];
    if (!row) throw new Error('no entry 2');
    await sql`select audit_redact(${[row.position]}::bigint[], ${[row.body_hash]}::text[], now())`.execute(store.db);
    await append({ action: DISPOSAL_ACTION, requestId: AWKWARD, detail: { redacted: [{ seq: 2, bodyHash: row.body_hash }] } });
    await linkPending(store.db);
    await writeCheckpoint(store.db, { signer: createCheckpointSigner(privateKey) });
  });
  afterAll(async () => {
    await client?.end();
    await store?.close();
    await database?.drop();
  });

  const options = { publicKeys: [publicKey] };
  const both = async (): Promise<{ general: AuditVerification; copy: AuditVerification }> => ({
    general: await verifyAuditChain(store.db, options),
    copy: await verifyAuditChainOnPostgres(client, options),
  });
  /** Runs `change` with the append-only triggers off, checks both walks, then runs `undo`. */
  async function edited(change: string, undo: string): Promise<{ general: AuditVerification; copy: AuditVerification }> {
    await sql`ALTER TABLE audit_entries DISABLE TRIGGER USER`.execute(store.db);
    try {
      await sql.raw(change).execute(store.db);
      return await both();
    } finally {
      await sql.raw(undo).execute(store.db);
      await sql`ALTER TABLE audit_entries ENABLE TRIGGER USER`.execute(store.db);
    }
  }

  it('finds the chain intact, as the general walk does', async () => {
    const { general, copy } = await both();
    expect(general).toMatchObject({ ok: true, checked: 6 });
    expect(copy).toEqual(general);
  });

  it.each([
    ['action', `action = action || 'x'`, `action = left(action, -1)`],
    ['actor_id', `actor_id = actor_id || 'x'`, `actor_id = left(actor_id, -1)`],
    ['actor_role', `actor_role = actor_role || 'x'`, `actor_role = left(actor_role, -1)`],
    ['at', `at = at + interval '1 millisecond'`, `at = at - interval '1 millisecond'`],
    ['detail', `detail = detail || '{"x": 1}'`, `detail = detail - 'x'`],
    ['from_state', `from_state = from_state || 'x'`, `from_state = left(from_state, -1)`],
    ['http_request_id', `http_request_id = http_request_id || 'x'`, `http_request_id = left(http_request_id, -1)`],
    ['id', `id = id || 'x'`, `id = left(id, -1)`],
    ['reason', `reason = reason || 'x'`, `reason = left(reason, -1)`],
    ['request_id', `request_id = request_id || 'x'`, `request_id = left(request_id, -1)`],
    ['to_state', `to_state = to_state || 'x'`, `to_state = left(to_state, -1)`],
    ['prev_hash', `prev_hash = prev_hash || 'x'`, `prev_hash = left(prev_hash, -1)`],
    ['hash', `hash = hash || 'x'`, `hash = left(hash, -1)`],
    ['seq', `seq = seq + 1000`, `seq = seq - 1000`],
    ['redacted_at', `redacted_at = now()`, `redacted_at = null`],
  ])('finds entry 3 bad when its %s is edited, as the general walk does', async (column, change, undo) => {
    const { general, copy } = await edited(`UPDATE audit_entries SET ${change} WHERE seq = 3`, `UPDATE audit_entries SET ${undo} WHERE seq = ${column === 'seq' ? 1003 : 3}`);
    expect(general).toMatchObject({ ok: false, firstBad: { seq: 3 } });
    expect(copy).toEqual(general);
  });

  it('finds a redacted entry bad when no disposal names it, and one edited behind its redaction', async () => {
    const unvouched = await edited(`UPDATE audit_entries SET detail = '{"redacted": []}' WHERE seq = 6`, `UPDATE audit_entries SET detail = jsonb_build_object('redacted', jsonb_build_array(jsonb_build_object('seq', 2, 'bodyHash', (select body_hash from audit_entries where seq = 2)))) WHERE seq = 6`);
    expect(unvouched.general).toMatchObject({ ok: false, firstBad: { seq: 6 } });
    expect(unvouched.copy).toEqual(unvouched.general);
    const rehashed = await edited(`UPDATE audit_entries SET body_hash = body_hash || 'x' WHERE seq = 2`, `UPDATE audit_entries SET body_hash = left(body_hash, -1) WHERE seq = 2`);
    expect(rehashed.general).toMatchObject({ ok: false, firstBad: { seq: 2 } });
    expect(rehashed.copy).toEqual(rehashed.general);
  });

  it('reads the same verdict from rows cut across messages at any byte', async () => {
    const messages: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      client.query({
        submit: (connection: pg.Connection) => connection.query(EntryCopy.QUERY),
        handleCopyData: (message: { chunk: Buffer }) => messages.push(Buffer.from(message.chunk)),
        handleCommandComplete: () => undefined,
        handleReadyForQuery: () => resolve(),
        handleError: reject,
      } as pg.Submittable);
    });
    const bytes = Buffer.concat(messages);
    for (const size of [1, 7, 64, 1000]) {
      const walk = new ChainWalk();
      const copy = new EntryCopy(walk);
      for (let at = 0; at < bytes.length; at += size) copy.handleCopyData({ chunk: bytes.subarray(at, at + size) });
      expect(copy).toMatchObject({ verdict: null, complete: true });
      expect(walk.finish()).toMatchObject({ ok: true, checked: 6 });
    }
  });

  it('hands a time beyond the years it writes to the general walk, with the same verdict', async () => {
    await store.read.audit.append(auditInput({ at: '2999-01-01T00:00:00.000Z' }));
    await linkPending(store.db);
    const { general, copy } = await both();
    expect(general).toMatchObject({ ok: true, checked: 7 });
    expect(copy).toEqual(general);
  });
});
