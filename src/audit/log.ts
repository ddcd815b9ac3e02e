/**
 * The append-only, hash-chained audit log. Appends are serialised by a transaction-scoped advisory
 * lock, so the chain has one order even when several server instances write at once; the lock is
 * held until the appending transaction commits or rolls back.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEntry, AuditEntryInput, AuditLog } from '../app/ports';
import type { RequestState } from '../domain/states';
import type { AuditEntriesTable, Database } from '../store/schema';
import { GENESIS_HASH, hashAuditEntry } from './hash';

/** An arbitrary constant naming the audit chain's advisory lock ("SMCA"). */
const AUDIT_LOCK_KEY = 0x534d4341;

export const DEFAULT_CHECKPOINT_EVERY = 100;

export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: string;
}

export interface AuditLogOptions {
  /** A checkpoint is written with every entry whose seq is a multiple of this. */
  checkpointEvery?: number;
}

export function rowToAuditEntry(row: Selectable<AuditEntriesTable>): AuditEntry {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    requestId: row.request_id,
    fromState: row.from_state as RequestState | null,
    toState: row.to_state as RequestState | null,
    reason: row.reason,
    detail: row.detail,
    httpRequestId: row.http_request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

async function lockChain(trx: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)})`.execute(trx);
}

async function appendEntry(trx: Kysely<Database>, input: AuditEntryInput, checkpointEvery: number): Promise<AuditEntry> {
  await lockChain(trx);
  const head = await trx.selectFrom('audit_entries').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const unhashed: Omit<AuditEntry, 'hash'> = {
    seq: (head?.seq ?? 0) + 1,
    id: randomUUID(),
    // Stored as timestamptz and read back in this form; hashing the same form keeps it verifiable.
    at: new Date(input.at).toISOString(),
    actorId: input.actorId,
    actorRole: input.actorRole,
    action: input.action,
    requestId: input.requestId,
    fromState: input.fromState,
    toState: input.toState,
    reason: input.reason,
    // What jsonb will give back (no undefined members, dates as strings), so the hash matches it.
    detail: input.detail === null ? null : (JSON.parse(JSON.stringify(input.detail)) as Record<string, unknown>),
    httpRequestId: input.httpRequestId,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const entry: AuditEntry = { ...unhashed, hash: hashAuditEntry(unhashed) };
  await trx
    .insertInto('audit_entries')
    .values({
      seq: entry.seq,
      id: entry.id,
      at: entry.at,
      actor_id: entry.actorId,
      actor_role: entry.actorRole,
      action: entry.action,
      request_id: entry.requestId,
      from_state: entry.fromState,
      to_state: entry.toState,
      reason: entry.reason,
      detail: entry.detail === null ? null : JSON.stringify(entry.detail),
      http_request_id: entry.httpRequestId,
      prev_hash: entry.prevHash,
      hash: entry.hash,
    })
    .execute();
  if (entry.seq % checkpointEvery === 0) {
    await trx.insertInto('audit_checkpoints').values({ seq: entry.seq, hash: entry.hash, at: entry.at }).execute();
  }
  return entry;
}

/**
 * The audit log on `db`: a transaction (the unit of work's) or the database itself, in which case
 * each append runs in a transaction of its own.
 */
export function createAuditLog(db: Kysely<Database>, options: AuditLogOptions = {}): AuditLog {
  const checkpointEvery = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  return {
    append: (input) =>
      db.isTransaction
        ? appendEntry(db, input, checkpointEvery)
        : db.transaction().execute((trx) => appendEntry(trx, input, checkpointEvery)),
    async listForRequest(requestId) {
      const rows = await db.selectFrom('audit_entries').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
      return rows.map(rowToAuditEntry);
    },
  };
}

/**
 * Records the current head of the chain as a checkpoint (nothing new if it already is one) and
 * returns it, or null while the trail is empty. A checkpoint lets the verifier notice entries
 * removed from the end; copies kept outside the database (SharePoint) protect it further.
 */
export async function writeCheckpoint(db: Kysely<Database>, at: Date = new Date()): Promise<AuditCheckpoint | null> {
  const head = await db.selectFrom('audit_entries').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!head) return null;
  await db
    .insertInto('audit_checkpoints')
    .values({ seq: head.seq, hash: head.hash, at: at.toISOString() })
    .onConflict((oc) => oc.column('seq').doNothing())
    .execute();
  return db.selectFrom('audit_checkpoints').selectAll().where('seq', '=', head.seq).executeTakeFirstOrThrow();
}
