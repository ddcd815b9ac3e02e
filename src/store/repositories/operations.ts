/**
 * What operators watch: work waiting or given up on (the outbox and evidence waiting for
 * SharePoint), and putting a failed notification back in the queue.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export interface OperationsSummary {
  notifications: { pending: number; failed: number };
  uploads: { pending: number; failed: number };
}

export interface FailedNotification {
  id: string;
  requestId: string | null;
  /** The request's reference (SMC-…), so an administrator can name it without opening it. */
  requestReference: string | null;
  recipientId: string | null;
  recipientName: string | null;
  kind: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

export interface Operations {
  /** One cheap query per table; also proves the database answers. */
  summary(): Promise<OperationsSummary>;
  failedNotifications(limit: number): Promise<FailedNotification[]>;
  /** Puts a failed notification back in the queue, due now; false when there is no failed one with that id. */
  retryNotification(id: string, now: Date): Promise<boolean>;
}

export function createOperations(db: Kysely<Database>): Operations {
  const counts = async (table: 'outbox' | 'pending_evidence'): Promise<{ pending: number; failed: number }> => {
    const rows = await db
      .selectFrom(table)
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy('status')
      .execute();
    const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
    return { pending: by.get('pending') ?? 0, failed: by.get('failed') ?? 0 };
  };
  return {
    async summary() {
      return { notifications: await counts('outbox'), uploads: await counts('pending_evidence') };
    },
    async failedNotifications(limit) {
      const rows = await db
        .selectFrom('outbox as o')
        .leftJoin('investigation_requests as r', 'r.id', 'o.request_id')
        .leftJoin('people as p', 'p.id', 'o.recipient_id')
        .select(['o.id', 'o.request_id', 'r.reference', 'o.recipient_id', 'p.display_name', 'o.kind', 'o.attempts', 'o.last_error', 'o.created_at'])
        .where('o.status', '=', 'failed')
        .orderBy('o.position', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        requestId: r.request_id,
        requestReference: r.reference,
        recipientId: r.recipient_id,
        recipientName: r.display_name,
        kind: r.kind,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at,
      }));
    },
    async retryNotification(id, now) {
      // attempts back to 0 so the dispatcher gives it its full run of tries again.
      const result = await db
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now.toISOString() })
        .where('id', '=', id)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
