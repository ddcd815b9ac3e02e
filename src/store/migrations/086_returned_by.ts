/**
 * Who returned a request for changes (DESIGN.md §2, "never two roles on the same request"): a
 * return clears the agreement, so without this a team manager's deputy who returned a request
 * could later authorise it as service director, or a director who returned it agree it as deputy.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const returnedBy: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [`ALTER TABLE investigation_requests ADD COLUMN returned_by jsonb NOT NULL DEFAULT '[]'::jsonb`]);
  },
};
