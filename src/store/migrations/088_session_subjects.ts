/**
 * The people each search session searched (DESIGN.md §3, Investigation Log: "search sessions:
 * start and end time …, subjects searched"). Sessions from before hold none: not recorded then.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const sessionSubjects: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [`ALTER TABLE search_sessions ADD COLUMN subject_ids jsonb NOT NULL DEFAULT '[]'::jsonb`]);
  },
};
