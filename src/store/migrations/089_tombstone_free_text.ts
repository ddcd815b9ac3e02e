/**
 * Disposal clears the free text a tombstone still held (docs/retention.md): the last decision's
 * reason (a decline's, a refusal's, a withdrawal's, or a doubt's resolution note) and every doubt's
 * reason, service manager's view and resolution note, keeping who and when; and the request's
 * repeat-check keys (names, dates of birth, profile links) and content links go with it. A reason or
 * a note may name anyone, so the evaluation still counts each decision, without its words. Run here
 * over the tombstones made before disposal did so.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

/** The SET list disposal applies to the request row (src/store/repositories/retention.ts). */
export const TOMBSTONE_TEXT_CLEARED = `
          last_reason = case when last_reason is null then null else jsonb_build_object('by', last_reason -> 'by', 'at', last_reason -> 'at') end,
          doubts = (select coalesce(jsonb_agg(jsonb_build_object(
              'raisedBy', d -> 'raisedBy', 'raisedAs', d -> 'raisedAs', 'raisedAt', d -> 'raisedAt', 'reason', '',
              'serviceManagerView', case when jsonb_typeof(d -> 'serviceManagerView') = 'object'
                then jsonb_build_object('by', d -> 'serviceManagerView' -> 'by', 'at', d -> 'serviceManagerView' -> 'at', 'note', '') else 'null'::jsonb end,
              'resolution', case when jsonb_typeof(d -> 'resolution') = 'object'
                then jsonb_build_object('by', d -> 'resolution' -> 'by', 'at', d -> 'resolution' -> 'at', 'outcome', d -> 'resolution' -> 'outcome', 'note', '') else 'null'::jsonb end)
            order by t.n), '[]'::jsonb) from jsonb_array_elements(doubts) with ordinality as t(d, n))`;

export const tombstoneFreeText: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `UPDATE investigation_requests SET ${TOMBSTONE_TEXT_CLEARED} WHERE disposed_at IS NOT NULL`,
      `DELETE FROM checked_subjects c USING investigation_requests r WHERE r.id = c.request_id AND r.disposed_at IS NOT NULL`,
      `DELETE FROM content_links c USING investigation_requests r WHERE r.id = c.request_id AND r.disposed_at IS NOT NULL`,
    ]);
  },
};
