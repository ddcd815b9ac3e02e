import type { Kysely, Selectable } from 'kysely';
import type { SearchSession, SearchSessionRepository } from '../../app/ports';
import type { Database, SearchSessionsTable } from '../schema';

function toSession(row: Selectable<SearchSessionsTable>): SearchSession {
  return {
    id: row.id,
    requestId: row.request_id,
    accessWorkerId: row.access_worker_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationSeconds: row.duration_seconds,
    corporateAccount: row.corporate_account,
    subjectIds: row.subject_ids,
  };
}

export function createSearchSessionRepository(db: Kysely<Database>): SearchSessionRepository {
  return {
    async insert(session) {
      await db
        .insertInto('search_sessions')
        .values({
          id: session.id,
          request_id: session.requestId,
          access_worker_id: session.accessWorkerId,
          started_at: session.startedAt,
          ended_at: session.endedAt,
          duration_seconds: session.durationSeconds,
          corporate_account: session.corporateAccount,
          subject_ids: JSON.stringify(session.subjectIds),
        })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('search_sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSession(row) : null;
    },
    async end(id, endedAt, durationSeconds) {
      await db.updateTable('search_sessions').set({ ended_at: endedAt, duration_seconds: durationSeconds }).where('id', '=', id).execute();
    },
    async listForRequest(requestId) {
      const rows = await db.selectFrom('search_sessions').selectAll().where('request_id', '=', requestId).orderBy('started_at').orderBy('id').execute();
      return rows.map(toSession);
    },
  };
}
