import type { Kysely, Selectable } from 'kysely';
import type { DirectorySyncLog, DirectorySyncRun, DirectorySyncTrigger, SyncProblem } from '../../app/ports';
import type { Database, DirectorySyncRunsTable } from '../schema';

function toRun(row: Selectable<DirectorySyncRunsTable>): DirectorySyncRun {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    trigger: row.trigger as DirectorySyncTrigger,
    requestedBy: row.requested_by,
    status: row.status as DirectorySyncRun['status'],
    added: row.added,
    changed: row.changed,
    removed: row.removed,
    flaggedRequests: row.flagged_requests,
    problems: row.conflicts as SyncProblem[],
    error: row.error,
  };
}

export function createDirectorySyncLog(db: Kysely<Database>): DirectorySyncLog {
  const newest = (status?: DirectorySyncRun['status']) => {
    let query = db.selectFrom('directory_sync_runs').selectAll();
    if (status) query = query.where('status', '=', status);
    return query.orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  };
  return {
    async record(run) {
      await db
        .insertInto('directory_sync_runs')
        .values({
          id: run.id,
          started_at: run.startedAt,
          finished_at: run.finishedAt,
          trigger: run.trigger,
          requested_by: run.requestedBy,
          status: run.status,
          added: run.added,
          changed: run.changed,
          removed: run.removed,
          flagged_requests: run.flaggedRequests,
          conflicts: JSON.stringify(run.problems),
          error: run.error,
        })
        .execute();
    },
    async latest() {
      const row = await newest();
      return row ? toRun(row) : null;
    },
    async latestSucceeded() {
      const row = await newest('succeeded');
      return row ? toRun(row) : null;
    },
    async failuresSince(after) {
      let query = db.selectFrom('directory_sync_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed');
      if (after) query = query.where('finished_at', '>', after);
      const row = await query.executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
