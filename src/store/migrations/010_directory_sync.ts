/**
 * Directory sync from Entra ID: a record of every sync run (for administrators and the audit of
 * who gained or lost a role), and the settings an administrator keeps (the access worker register's limit).
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const directorySync: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE directory_sync_runs (
        id text PRIMARY KEY,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('startup', 'schedule', 'on_demand')),
        requested_by text,
        status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
        added integer NOT NULL DEFAULT 0,
        changed integer NOT NULL DEFAULT 0,
        removed integer NOT NULL DEFAULT 0,
        flagged_requests integer NOT NULL DEFAULT 0,
        conflicts jsonb NOT NULL DEFAULT '[]',
        error text
      )`,
      `CREATE INDEX directory_sync_runs_finished_idx ON directory_sync_runs (finished_at DESC)`
    ]);
  },
};
