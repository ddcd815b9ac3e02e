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
import { bodyHash } from './hash';


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

async function appendEntry(trx: Kysely<Database>, input: AuditEntryInput, checkpointEvery: number): Promise<AuditEntry> {
  const body: Omit<AuditEntry, 'hash' | 'seq' | 'prevHash'> = {
    id: randomUUID(),
    at: new Date(input.at).toISOString(),
    actorId: input.actorId,
    actorRole: input.actorRole,
    action: input.action,
    requestId: input.requestId,
    fromState: input.fromState,
    toState: input.toState,
    reason: input.reason,
    detail: input.detail === null ? null : (JSON.parse(JSON.stringify(input.detail)) as Record<string, unknown>),
    httpRequestId: input.httpRequestId,
  };
  // One round trip under the chain's lock: see migration 005.
  const { rows } = await sql<{ out_seq: number; out_prev_hash: string; out_hash: string }>`
    select * from audit_append(${body.id}, ${body.at}, ${body.actorId}, ${body.actorRole}, ${body.action}, ${body.requestId},
      ${body.fromState}, ${body.toState}, ${body.reason}, ${body.detail === null ? null : JSON.stringify(body.detail)}::jsonb,
      ${body.httpRequestId}, ${bodyHash(body)}, ${checkpointEvery})`.execute(trx);
  const row = rows[0];
  if (!row) throw new Error('The audit trail did not accept the entry.');
  return { ...body, seq: Number(row.out_seq), prevHash: row.out_prev_hash, hash: row.out_hash };
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
