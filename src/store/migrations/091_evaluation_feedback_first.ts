/**
 * The evaluation counts the feedback form's answers first (the pilot's evaluation data is "obtained
 * from a feedback template form" the social worker completes after the access, docs/protocol-source.txt)
 * and the log's assessment only where no feedback was given. Before, a request whose log had an
 * assessment kept its figures whatever the feedback later said. Every request's row is rebuilt.
 */
import type { Kysely, Migration } from 'kysely';
import { EVALUATION_FACTS_REFRESH } from './080_evaluation_facts';
import { runStatements } from './run-sql';

const ASSESSMENT_FIRST = [
  `coalesce((r.log -> 'assessment' ->> 'usefulPieces')::int, (r.feedback ->> 'usefulPieces')::int) AS useful_pieces`,
  `coalesce((r.log -> 'assessment' ->> 'uniquePieces')::int, (r.feedback ->> 'uniquePieces')::int) AS unique_pieces`,
  `coalesce(r.log -> 'assessment' ->> 'contribution', r.feedback ->> 'contribution') AS contribution`,
];
const FEEDBACK_FIRST = [
  `coalesce((r.feedback ->> 'usefulPieces')::int, (r.log -> 'assessment' ->> 'usefulPieces')::int) AS useful_pieces`,
  `coalesce((r.feedback ->> 'uniquePieces')::int, (r.log -> 'assessment' ->> 'uniquePieces')::int) AS unique_pieces`,
  `coalesce(r.feedback ->> 'contribution', r.log -> 'assessment' ->> 'contribution') AS contribution`,
];

/** Migration 080's projection with the feedback's answers before the assessment's. */
export const EVALUATION_FACTS_REFRESH_FEEDBACK_FIRST = ASSESSMENT_FIRST.reduce((sqlText, line, i) => {
  if (!sqlText.includes(line)) throw new Error(`migration 091: the projection no longer reads “${line}”`);
  return sqlText.replace(line, FEEDBACK_FIRST[i] ?? line);
}, EVALUATION_FACTS_REFRESH);

export const evaluationFeedbackFirst: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      // As migration 083 defines it, with the projection above.
      `CREATE OR REPLACE FUNCTION evaluation_facts_refresh(p_ids text[]) RETURNS void LANGUAGE plpgsql VOLATILE
      SET plan_cache_mode = force_generic_plan AS $$
      BEGIN
        PERFORM 1 FROM evaluation_facts WHERE request_id = ANY (p_ids) ORDER BY request_id FOR UPDATE;
        ${EVALUATION_FACTS_REFRESH_FEEDBACK_FIRST.trim()};
      END
      $$`,
      // Projected after commit, in bounded batches, like any other write (migration 085).
      `INSERT INTO evaluation_pending (xact, request_ids)
        SELECT pg_current_xact_id(), array_agg(id) FROM investigation_requests HAVING count(*) > 0`,
    ]);
  },
};
