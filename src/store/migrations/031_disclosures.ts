/**
 * Subject access disclosures: who searched, for whom, and what was found. The person searched for
 * is kept here and not in the audit trail, which records only the disclosure's id.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const disclosures: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE disclosures (
        id text PRIMARY KEY,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL,
        query jsonb NOT NULL,
        matches jsonb NOT NULL
      )`,
    ]);
  },
};
