/**
 * Redacting a disposed request's audit entries holds up no one else's audit writes. Before
 * migration 087, `audit_redact` switched the append-only trigger off with ALTER TABLE, a lock that
 * waits for every open insert and blocks every new one: a disposal waited for any transaction with
 * an audit entry in flight, and every decision in the service waited for the disposal. PostgreSQL
 * only: PGlite is one connection, so nothing runs beside the disposal there.
 */
import { sql } from 'kysely';
import { linkPending } from '../../../src/audit';
import type { SqlStore } from '../../../src/store';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { auditInput } from '../../support/store-fixtures';

let database: TestDatabase;
let store: SqlStore;

beforeAll(async () => {
  database = await freshDatabase('PostgreSQL');
  store = await database.open();
});
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

test('a redaction completes while another transaction holds an audit entry uncommitted, and then that one commits', async () => {
  for (let i = 0; i < 3; i += 1) await store.read.audit.append(auditInput({ requestId: 'disposed', reason: `personal ${i}` }));
  await linkPending(store.db);
  const rows = (await sql<{ position: string; body_hash: string }>`select position, body_hash from audit_entries where request_id = 'disposed' order by position`.execute(store.db)).rows;

  let releaseWriter: () => void = () => undefined;
  const writerMayCommit = new Promise<void>((resolve) => (releaseWriter = resolve));
  let writerAppended: () => void = () => undefined;
  const appended = new Promise<void>((resolve) => (writerAppended = resolve));
  // Another person's decision: its audit entry written, its transaction still open.
  const writer = store.transaction(async (uow) => {
    await uow.audit.append(auditInput({ requestId: 'someone-else', action: 'agree' }));
    writerAppended();
    await writerMayCommit;
  });
  await appended;
  try {
    // Settled well before any lock wait would end (lock_timeout on the disposal's own connection).
    const redacted = await store.db.transaction().execute(async (trx) => {
      await sql`set local lock_timeout = '2s'`.execute(trx);
      const { rows: [result] } = await sql<{ n: number }>`select audit_redact(${rows.map((r) => r.position)}::bigint[], ${rows.map((r) => r.body_hash)}::text[], now()) as n`.execute(trx);
      return result?.n;
    });
    expect(redacted).toBe(3);
  } finally {
    releaseWriter();
    await writer;
  }
  const after = (await sql<{ reason: string | null; redacted: boolean }>`select reason, redacted_at is not null as redacted from audit_entries where request_id = 'disposed'`.execute(store.db)).rows;
  expect(after).toEqual([{ reason: null, redacted: true }, { reason: null, redacted: true }, { reason: null, redacted: true }]);
  // Outside audit_redact, the trigger still refuses the same change.
  const [one] = (await sql<{ position: string }>`select position from audit_entries where request_id = 'someone-else'`.execute(store.db)).rows;
  await linkPending(store.db);
  await expect(sql`update audit_entries set reason = null, redacted_at = now() where position = ${one?.position}`.execute(store.db)).rejects.toThrow('append-only');
  // And while redacting, only a redaction: no other field of an entry may change.
  const otherChange = store.db.transaction().execute(async (trx) => {
    await sql`select set_config('smc.audit_redacting', 'on', true)`.execute(trx);
    await sql`update audit_entries set actor_id = 'x' where position = ${one?.position}`.execute(trx);
  });
  await expect(otherChange).rejects.toThrow('append-only');
});
