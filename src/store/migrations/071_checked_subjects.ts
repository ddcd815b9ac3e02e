/**
 * Repeated checks (issue 14): each person an authorisation put in scope is kept under the keys
 * they are recognised by (profile link; name and date of birth), so a later request naming them is
 * found by an index rather than by reading every request. Requests authorised before this change
 * are keyed here.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { checkedSubjectKeys } from '../../domain/repeat-checks';
import type { InvestigationRequest } from '../../domain/request';
import { runStatements } from './run-sql';

export const checkedSubjects: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE checked_subjects (
        request_id text NOT NULL REFERENCES investigation_requests (id),
        subject_id text NOT NULL,
        match_key text NOT NULL,
        authorised_at timestamptz NOT NULL,
        PRIMARY KEY (request_id, subject_id, match_key)
      )`,
      `CREATE INDEX checked_subjects_key_idx ON checked_subjects (match_key, authorised_at)`,
    ]);
    const rows = await sql<Pick<InvestigationRequest, 'form' | 'authorisation'> & { id: string }>`
      SELECT id, form, authorisation FROM investigation_requests WHERE authorisation IS NOT NULL`.execute(db);
    for (const row of rows.rows) {
      const at = row.authorisation?.at;
      if (!at) continue;
      for (const { subjectId, key } of checkedSubjectKeys(row)) {
        await sql`INSERT INTO checked_subjects (request_id, subject_id, match_key, authorised_at)
          VALUES (${row.id}, ${subjectId}, ${key}, ${at}) ON CONFLICT DO NOTHING`.execute(db);
      }
    }
  },
};
