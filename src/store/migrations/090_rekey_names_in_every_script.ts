/**
 * Names are matched in every script, and letters written without their accent ("ł" as "l") are
 * matched as such (src/domain/repeat-checks.ts, normaliseName): before, a disclosure search reduced a
 * name to a–z and 0–9, so "محمد علي" or "Иван Петров" was never found and a subject access request
 * was answered "No records are held". Every request's disclosure keys and repeat-check keys are
 * computed again here.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { disclosureKeys } from '../../domain/disclosure';
import { checkedSubjectKeys } from '../../domain/repeat-checks';
import type { InvestigationRequest } from '../../domain/request';

type Row = Pick<InvestigationRequest, 'form' | 'log' | 'authorisation'> & { id: string };

export const rekeyNamesInEveryScript: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const rows = await sql<Row>`SELECT id, form, log, authorisation FROM investigation_requests WHERE disposed_at IS NULL`.execute(db);
    for (const row of rows.rows) {
      const keys = disclosureKeys(row);
      await sql`DELETE FROM disclosure_keys WHERE request_id = ${row.id}`.execute(db);
      if (keys.length > 0) {
        await sql`INSERT INTO disclosure_keys (match_key, request_id) SELECT k, ${row.id}::text FROM unnest(${keys}::text[]) AS k ON CONFLICT DO NOTHING`.execute(db);
      }
      const at = row.authorisation?.at;
      const checked = checkedSubjectKeys(row);
      if (!at) continue;
      await sql`DELETE FROM checked_subjects WHERE request_id = ${row.id}`.execute(db);
      if (checked.length > 0) {
        await sql`INSERT INTO checked_subjects (request_id, subject_id, match_key, authorised_at)
          SELECT ${row.id}::text, s, k, ${at}::timestamptz FROM unnest(${checked.map((c) => c.subjectId)}::text[], ${checked.map((c) => c.key)}::text[]) AS u(s, k)
          ON CONFLICT DO NOTHING`.execute(db);
      }
    }
  },
};
