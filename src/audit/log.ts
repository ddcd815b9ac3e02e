/**
 * The append-only, hash-chained audit log. An entry is written in the writer's transaction with
 * the hash of its contents and no place in the chain, taking no lock; the sequencer
 * (./sequencer.ts) links committed entries into the chain shortly after. So commits never wait
 * for one another on the audit trail, and the chain still has one order across every instance.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AuditEntry, AuditLog } from '../app/ports';
import type { RequestState } from '../domain/states';
import type { AuditEntriesTable, Database } from '../store/schema';
import type { CheckpointSigner } from './checkpoint';
import { bodyHash } from './hash';
import { outboxRows } from '../store/repositories/outbox';

export const DEFAULT_CHECKPOINT_EVERY = 100;

export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: string;
}

export function rowToAuditEntry(row: Omit<Selectable<AuditEntriesTable>, 'position' | 'body_hash' | 'redacted_at'>): AuditEntry {
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

const ENTRY_COLUMNS = [
  'seq', 'id', 'at', 'actor_id', 'actor_role', 'action', 'request_id', 'from_state', 'to_state', 'reason', 'detail',
  'http_request_id', 'prev_hash', 'hash',
] as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const asStored = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');
const asStoredOrNull = (text: string | null | undefined): string | null => (text === null || text === undefined ? null : asStored(text));

/** The audit log on `db`: a transaction (the unit of work's) or the database itself. */
export function createAuditLog(db: Kysely<Database>): AuditLog {
  return {
    async append(input, messages = []) {
      // Hashed as the database will store it: absent as null, a lone surrogate as U+FFFD (as UTF-8
      // encoding turns it); otherwise the verifier would read back something else and call it edited.
      const entry: AuditEntry = {
        id: randomUUID(),
        at: new Date(input.at).toISOString(),
        actorId: asStored(input.actorId),
        actorRole: input.actorRole,
        action: asStored(input.action),
        requestId: asStoredOrNull(input.requestId),
        fromState: input.fromState ?? null,
        toState: input.toState ?? null,
        reason: asStoredOrNull(input.reason),
        // Stored as jsonb stores it, so that what is hashed now is what the verifier reads back.
        detail: input.detail === null ? null : (JSON.parse(JSON.stringify(input.detail)) as Record<string, unknown>),
        httpRequestId: asStoredOrNull(input.httpRequestId),
        seq: null,
        prevHash: null,
        hash: null,
      };
      const row = {
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
        body_hash: bodyHash(entry),
      };
      if (messages.length === 0) {
        await db.insertInto('audit_entries').values(row).execute();
      } else {
        // One statement for both: a decision's writes cost the database one round trip fewer.
        await db
          .with('queued', (qc) => qc.insertInto('outbox').values(outboxRows(messages)).returning('id'))
          .insertInto('audit_entries')
          .values(row)
          .execute();
      }
      return entry;
    },
    async listForRequest(requestId) {
      // Linked entries in chain order, then the ones still waiting for the sequencer in write order:
      // a reader sees an entry as soon as it commits.
      const rows = await db
        .selectFrom('audit_entries')
        .select(ENTRY_COLUMNS)
        .where('request_id', '=', requestId)
        .orderBy('seq', (ob) => ob.asc().nullsLast())
        .orderBy('position')
        .execute();
      return rows.map(rowToAuditEntry);
    },
  };
}

/**
 * Records the current head of the chain as a checkpoint, signed when a signer is given (nothing new
 * if the head already is one), and returns it, or null while nothing is linked. Entries not yet
 * linked are not covered: run the sequencer first (linkPending) to include them.
 */
export async function writeCheckpoint(
  db: Kysely<Database>,
  options: { at?: Date; signer?: CheckpointSigner | null } = {},
): Promise<AuditCheckpoint | null> {
  const head = await chainHead(db);
  if (!head) return null;
  const at = (options.at ?? new Date()).toISOString();
  const signed = options.signer?.sign({ treeSize: head.seq, headHash: head.hash, timestamp: at });
  await db
    .insertInto('audit_checkpoints')
    .values({ seq: head.seq, hash: head.hash, at, key_id: signed?.keyId ?? null, signature: signed?.signature ?? null })
    .onConflict((oc) => oc.column('seq').doNothing())
    .execute();
  return db.selectFrom('audit_checkpoints').select(['seq', 'hash', 'at']).where('seq', '=', head.seq).executeTakeFirstOrThrow();
}

/** The last linked entry's place and hash, or null when none is linked. */
export async function chainHead(db: Kysely<Database>): Promise<{ seq: number; hash: string } | null> {
  const head = await db
    .selectFrom('audit_entries')
    .select(['seq', 'hash'])
    .where('seq', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return head && head.seq !== null && head.hash !== null ? { seq: head.seq, hash: head.hash } : null;
}
