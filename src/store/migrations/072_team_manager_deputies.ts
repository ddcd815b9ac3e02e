/**
 * Deputies (issue 14): a team manager names another team manager to act for them for a period;
 * requests waiting for the team manager go to both while it lasts. Ending one early keeps the row.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const teamManagerDeputies: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE team_manager_deputies (
        id text PRIMARY KEY,
        team_manager_id text NOT NULL,
        deputy_id text NOT NULL,
        from_date date NOT NULL,
        to_date date NOT NULL,
        created_at timestamptz NOT NULL,
        ended_at timestamptz,
        CHECK (from_date <= to_date),
        CHECK (team_manager_id <> deputy_id)
      )`,
      `CREATE INDEX team_manager_deputies_manager_idx ON team_manager_deputies (team_manager_id, to_date)`,
      `CREATE INDEX team_manager_deputies_deputy_idx ON team_manager_deputies (deputy_id, to_date)`,
    ]);
  },
};
