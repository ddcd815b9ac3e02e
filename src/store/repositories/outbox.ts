import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Outbox, OutboxMessage, OutboxMessageInput, OutboxOutcome, OutboxQueue, OutboxStatus } from '../../app/ports';
import type { NotificationKind } from '../../domain/workflow';
import type { Database, OutboxTable } from '../schema';

function toMessage(row: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: row.id,
    createdAt: row.created_at,
    requestId: row.request_id,
    recipientId: row.recipient_id,
    kind: row.kind as NotificationKind,
    payload: row.payload,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    sentAt: row.sent_at,
  };
}

/** Outbox rows for messages, as every writer stores them. */
export function outboxRows(messages: OutboxMessageInput[]) {
  return messages.map((m) => ({
    id: randomUUID(),
    request_id: m.requestId,
    recipient_id: m.recipientId,
    kind: m.kind,
    payload: JSON.stringify(m.payload),
  }));
}

/** The writing side, used inside a unit of work: messages become due when it commits. */
export function createOutbox(db: Kysely<Database>): Outbox {
  return {
    async add(messages) {
      if (messages.length === 0) return;
      await db.insertInto('outbox').values(outboxRows(messages)).execute();
    },
    async listForRequest(requestId) {
      const rows = await db.selectFrom('outbox').selectAll().where('request_id', '=', requestId).orderBy('position').execute();
      return rows.map(toMessage);
    },
    async requeue(id, at) {
      await db
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, last_error: null, next_attempt_at: at.toISOString() })
        .where('id', '=', id)
        .where('status', '=', 'failed')
        .execute();
    },
  };
}

export function createOutboxQueue(db: Kysely<Database>): OutboxQueue {
  return {
    async claimDue(now, limit, leaseSeconds) {
      const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
      // Selecting, locking and leasing in one statement: SKIP LOCKED passes over rows another
      // instance is claiming, and the re-check PostgreSQL makes on a locked row drops any row
      // whose lease another instance has just moved past `now`.
      const { rows } = await sql<Selectable<OutboxTable>>`
        WITH due AS (
          SELECT id FROM outbox
          WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}
          ORDER BY next_attempt_at, position
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE outbox SET next_attempt_at = ${leaseUntil}, attempts = outbox.attempts + 1
        FROM due
        WHERE outbox.id = due.id
        RETURNING outbox.*`.execute(db);
      return [...rows].sort((a, b) => a.position - b.position).map(toMessage);
    },
    async record(outcomes) {
      if (outcomes.length === 0) return;
      const sent = (o: OutboxOutcome): o is Extract<OutboxOutcome, { sentAt: Date }> => 'sentAt' in o;
      const ids = outcomes.map((o) => o.id);
      const attempts = outcomes.map((o) => o.attempts);
      const statuses = outcomes.map((o) => (sent(o) ? 'sent' : o.retryAt ? 'pending' : 'failed'));
      const sentAts = outcomes.map((o) => (sent(o) ? o.sentAt.toISOString() : null));
      const errors = outcomes.map((o) => (sent(o) ? null : o.error));
      const retryAts = outcomes.map((o) => (sent(o) || !o.retryAt ? null : o.retryAt.toISOString()));
      // One statement for several attempts: a sent message keeps its last error, a failed one its
      // sent time, and only a retry moves the next attempt. An attempt another claim has since
      // overtaken (its lease ran out) is not written over the newer one.
      await sql`
        UPDATE outbox SET
          status = v.status,
          sent_at = CASE WHEN v.status = 'sent' THEN v.sent_at::timestamptz ELSE outbox.sent_at END,
          last_error = CASE WHEN v.status = 'sent' THEN outbox.last_error ELSE v.error END,
          next_attempt_at = coalesce(v.retry_at::timestamptz, outbox.next_attempt_at)
        FROM unnest(${ids}::text[], ${attempts}::int[], ${statuses}::text[], ${sentAts}::text[], ${errors}::text[], ${retryAts}::text[])
          AS v(id, attempts, status, sent_at, error, retry_at)
        WHERE outbox.id = v.id AND outbox.attempts = v.attempts AND outbox.status = 'pending'`.execute(db);
    },
    async release(ids, at) {
      if (ids.length === 0) return;
      await db
        .updateTable('outbox')
        .set({ next_attempt_at: at.toISOString(), attempts: sql<number>`greatest(attempts - 1, 0)` })
        .where('id', 'in', ids)
        .where('status', '=', 'pending')
        .execute();
    },
  };
}
