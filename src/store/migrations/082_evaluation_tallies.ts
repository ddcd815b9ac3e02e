/**
 * The dashboard's figures without touching every request's wide row (issue 10's 300 ms goal,
 * with room on a busy machine).
 *
 * - evaluation_profiles: each distinct combination of what the figures count requests by (team,
 *   month, access worker, outcome, contribution, follow-up, …). A year of requests has a few
 *   thousand; they are never deleted.
 * - evaluation_tally_rows: one narrow row per submitted request (its profile and the numbers that
 *   are summed), so the counts are one grouped pass over a small covering index, and the sums per
 *   profile are then combined into every figure.
 * - Medians, least and greatest come from the wide rows' values in order through partial covering
 *   indexes: the median is the middle of an index-only scan, not a sort of every value.
 *
 * Both tables follow evaluation_facts by statement triggers on it (however it was written), in the
 * same transaction. Requests already projected are copied here.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

/** The gaps between steps, in order: bit i of a profile's `gaps` is set when the i-th was measured. */
const GAPS = ['submitted_agreed_ms', 'agreed_authorised_ms', 'authorised_claimed_ms', 'claimed_searched_ms', 'searched_finalised_ms', 'finalised_shared_ms'];

export const evaluationTallies: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE evaluation_profiles (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key text[] NOT NULL UNIQUE,
        team text GENERATED ALWAYS AS (key[1]) STORED,
        submitted_month text GENERATED ALWAYS AS (key[2]) STORED,
        access_worker_id text GENERATED ALWAYS AS (key[3]) STORED,
        state text GENERATED ALWAYS AS (key[4]) STORED,
        closing_action text GENERATED ALWAYS AS (key[5]) STORED,
        closing_reason text GENERATED ALWAYS AS (key[6]) STORED,
        contribution text GENERATED ALWAYS AS (key[7]) STORED,
        follow_up text GENERATED ALWAYS AS (key[8]) STORED,
        searched boolean GENERATED ALWAYS AS (key[9]::boolean) STORED,
        with_unique_pieces boolean GENERATED ALWAYS AS (key[10]::boolean) STORED,
        gaps integer GENERATED ALWAYS AS (key[11]::integer) STORED
      )`,
      // The reason is kept only where the figures show it (NOT_PROCEEDING_STATES), so free-text
      // reasons do not multiply the profiles of requests that went ahead.
      `CREATE FUNCTION evaluation_profile_key(f evaluation_facts) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
        SELECT ARRAY[f.team, f.submitted_month, f.access_worker_id, f.state, f.closing_action,
          CASE WHEN f.state IN ('declined', 'refused', 'expired', 'cancelled') THEN f.closing_reason END,
          f.contribution, f.follow_up, (f.search_sessions > 0)::text, (coalesce(f.unique_pieces, 0) > 0)::text,
          (${GAPS.map((g, i) => `CASE WHEN f.${g} IS NULL THEN 0 ELSE ${1 << i} END`).join(' + ')})::text]
      $$`,
      `CREATE TABLE evaluation_tally_rows (
        request_id text PRIMARY KEY REFERENCES evaluation_facts (request_id) ON DELETE CASCADE,
        submitted_at timestamptz NOT NULL,
        profile_id integer NOT NULL,
        search_seconds double precision NOT NULL,
        search_sessions integer NOT NULL,
        useful_pieces integer NOT NULL,
        unique_pieces integer NOT NULL,
        shared_at timestamptz
      )`,
      `CREATE INDEX evaluation_tally_rows_submitted_idx ON evaluation_tally_rows (submitted_at)
        INCLUDE (profile_id, search_seconds, search_sessions, useful_pieces, unique_pieces, shared_at)`,
      // Two statements: the second's snapshot sees a profile another transaction has just added. A
      // request written with no change to what is counted leaves its row as it is.
      `CREATE FUNCTION evaluation_tally_rows_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO evaluation_profiles (key)
          SELECT DISTINCT evaluation_profile_key(w) FROM written w WHERE w.submitted_at IS NOT NULL ORDER BY 1
          ON CONFLICT (key) DO NOTHING;
        DELETE FROM evaluation_tally_rows t USING written w WHERE t.request_id = w.request_id AND w.submitted_at IS NULL;
        INSERT INTO evaluation_tally_rows (request_id, submitted_at, profile_id, search_seconds, search_sessions, useful_pieces, unique_pieces, shared_at)
          SELECT w.request_id, w.submitted_at, p.id, w.search_seconds, w.search_sessions, coalesce(w.useful_pieces, 0), coalesce(w.unique_pieces, 0), w.shared_at
          FROM written w JOIN evaluation_profiles p ON p.key = evaluation_profile_key(w)
          WHERE w.submitted_at IS NOT NULL
          ON CONFLICT (request_id) DO UPDATE SET
            submitted_at = excluded.submitted_at, profile_id = excluded.profile_id, search_seconds = excluded.search_seconds,
            search_sessions = excluded.search_sessions, useful_pieces = excluded.useful_pieces, unique_pieces = excluded.unique_pieces,
            shared_at = excluded.shared_at
          WHERE (evaluation_tally_rows.submitted_at, evaluation_tally_rows.profile_id, evaluation_tally_rows.search_seconds, evaluation_tally_rows.search_sessions,
              evaluation_tally_rows.useful_pieces, evaluation_tally_rows.unique_pieces, evaluation_tally_rows.shared_at)
            IS DISTINCT FROM (excluded.submitted_at, excluded.profile_id, excluded.search_seconds, excluded.search_sessions,
              excluded.useful_pieces, excluded.unique_pieces, excluded.shared_at);
        RETURN NULL;
      END
      $$`,
      `CREATE TRIGGER evaluation_tally_rows_inserted AFTER INSERT ON evaluation_facts
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_tally_rows_written()`,
      `CREATE TRIGGER evaluation_tally_rows_updated AFTER UPDATE ON evaluation_facts
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_tally_rows_written()`,
      // What the medians are taken over, in order, with what the period and team filters read.
      `CREATE INDEX evaluation_facts_search_seconds_idx ON evaluation_facts (search_seconds) INCLUDE (submitted_at, team) WHERE search_sessions > 0`,
      `CREATE INDEX evaluation_facts_contribution_idx ON evaluation_facts (contribution, search_seconds) INCLUDE (submitted_at, team) WHERE contribution IS NOT NULL`,
      ...GAPS.map((g) => `CREATE INDEX evaluation_facts_${g}_idx ON evaluation_facts (${g}) INCLUDE (submitted_at, team) WHERE ${g} IS NOT NULL`),
      `UPDATE evaluation_facts SET state = state`,
    ]);
  },
};
