/**
 * Subject access (issue 10): each request is kept under the keys its people are found by — every
 * name they go by, normalised, and every profile link of theirs or of a finding about them — so a
 * disclosure search looks them up by index instead of reading the text of every request, evidence
 * item and audit entry. Requests written before this are keyed here.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { disclosureKeys } from '../../domain/disclosure';
import type { InvestigationRequest } from '../../domain/request';
import { runStatements } from './run-sql';

export const disclosureKeysMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE disclosure_keys (
        match_key text NOT NULL,
        request_id text NOT NULL REFERENCES investigation_requests (id) ON DELETE CASCADE,
        PRIMARY KEY (match_key, request_id)
      )`,
      `CREATE INDEX disclosure_keys_request_idx ON disclosure_keys (request_id)`,
    ]);
    const rows = await sql<Pick<InvestigationRequest, 'form' | 'log'> & { id: string }>`
      SELECT id, form, log FROM investigation_requests WHERE disposed_at IS NULL`.execute(db);
    for (const row of rows.rows) {
      const keys = disclosureKeys(row);
      if (keys.length === 0) continue;
      await sql`INSERT INTO disclosure_keys (match_key, request_id)
        SELECT k, ${row.id}::text FROM unnest(${keys}::text[]) AS k ON CONFLICT DO NOTHING`.execute(db);
    }
  },
};
