/**
 * The evaluation's projection (issue 10): one narrow row per request with what the pilot's figures
 * need — its steps' times from the audit trail, its search time from the measured sessions, its
 * assessment — so the dashboard aggregates 100,000 requests in SQL instead of reading every
 * request's JSON and audit entries.
 *
 * The row is rebuilt by triggers in the same transaction as every write that can change it: a
 * request written, a state-changing audit entry appended, a search session started or ended. The
 * triggers are per statement, over the rows the statement wrote, so a bulk copy rebuilds its rows
 * in one pass. Rebuilding from the sources (rather than adjusting counters) keeps the row equal to
 * what a full read would give whatever wrote it. Requests written before this are projected here.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

/**
 * Rebuilds the rows of the requests `p_ids` names. The closing action is the latest state change into
 * the request's present state, in write order (position): an entry is linked into the chain (seq)
 * only after its transaction commits. Migration 083 runs the same statement from PL/pgSQL.
 *
 * Never edit it: migrations 080 and 083 are built from it, and a database that has run them keeps
 * what they made. A change to the projection is a new migration with its own statement.
 */
export const EVALUATION_FACTS_REFRESH = `
        INSERT INTO evaluation_facts (
          request_id, submitted_at, submitted_month, form_team, team, originating_worker_id, access_worker_id, state, closing_action, closing_reason, kind,
          agreed_at, authorised_at, claimed_at, searched_at, finalised_at, shared_at,
          submitted_agreed_ms, agreed_authorised_ms, authorised_claimed_ms, claimed_searched_ms, searched_finalised_ms, finalised_shared_ms,
          search_seconds, search_sessions, useful_pieces, unique_pieces, contribution, feedback_given, follow_up)
        SELECT x.id, x.submitted_at, to_char(x.submitted_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), x.form_team, coalesce(x.form_team, x.person_team), x.originating_worker_id,
          x.access_worker_id, x.state, x.closing_action, x.closing_reason, x.kind,
          x.agreed_at, x.authorised_at, x.claimed_at, x.searched_at, x.finalised_at, x.shared_at,
          ((extract(epoch FROM x.agreed_at) - extract(epoch FROM x.submitted_at)) * 1000)::float8,
          ((extract(epoch FROM x.authorised_at) - extract(epoch FROM x.agreed_at)) * 1000)::float8,
          ((extract(epoch FROM x.claimed_at) - extract(epoch FROM x.authorised_at)) * 1000)::float8,
          ((extract(epoch FROM x.searched_at) - extract(epoch FROM x.claimed_at)) * 1000)::float8,
          ((extract(epoch FROM x.finalised_at) - extract(epoch FROM x.searched_at)) * 1000)::float8,
          ((extract(epoch FROM x.shared_at) - extract(epoch FROM x.finalised_at)) * 1000)::float8,
          x.search_seconds, x.search_sessions, x.useful_pieces, x.unique_pieces, x.contribution, x.feedback_given, x.follow_up
        FROM (
          SELECT r.id, r.submitted_at, nullif(r.form ->> 'team', '') AS form_team, p.team AS person_team, r.originating_worker_id, r.access_worker_id, r.state,
            a.closing_action, r.last_reason ->> 'reason' AS closing_reason, r.authorisation -> 'scope' ->> 'kind' AS kind,
            (r.agreement ->> 'at')::timestamptz AS agreed_at, (r.authorisation ->> 'at')::timestamptz AS authorised_at,
            a.claimed AS claimed_at, a.searched AS searched_at, a.finalised AS finalised_at, a.shared AS shared_at,
            coalesce(s.seconds, 0) AS search_seconds, coalesce(s.sessions, 0) AS search_sessions,
            coalesce((r.log -> 'assessment' ->> 'usefulPieces')::int, (r.feedback ->> 'usefulPieces')::int) AS useful_pieces,
            coalesce((r.log -> 'assessment' ->> 'uniquePieces')::int, (r.feedback ->> 'uniquePieces')::int) AS unique_pieces,
            coalesce(r.log -> 'assessment' ->> 'contribution', r.feedback ->> 'contribution') AS contribution,
            r.feedback IS NOT NULL AS feedback_given,
            r.feedback -> 'followUp' ->> 'longerTermUsefulness' AS follow_up
          FROM unnest(p_ids) AS u(id)
          JOIN investigation_requests r ON r.id = u.id
          LEFT JOIN people p ON p.id = r.originating_worker_id
          LEFT JOIN LATERAL (
            SELECT
              min(e.at) FILTER (WHERE e.to_state = 'assigned' AND e.from_state IN ('authorised', 'awaiting_service_director')) AS claimed,
              max(e.at) FILTER (WHERE e.action = 'complete-log') AS searched,
              max(e.at) FILTER (WHERE e.action = 'finalise') AS finalised,
              max(e.at) FILTER (WHERE e.action = 'share') AS shared,
              (array_agg(e.action ORDER BY e.position DESC) FILTER (WHERE e.to_state = r.state))[1] AS closing_action
            FROM audit_entries e
            WHERE e.request_id = r.id AND e.from_state IS DISTINCT FROM e.to_state
          ) a ON true
          LEFT JOIN LATERAL (
            SELECT sum(ss.duration_seconds)::float8 AS seconds, count(ss.ended_at) AS sessions
            FROM search_sessions ss WHERE ss.request_id = r.id AND ss.ended_at IS NOT NULL
          ) s ON true
        ) x
        ON CONFLICT (request_id) DO UPDATE SET
          submitted_at = excluded.submitted_at, submitted_month = excluded.submitted_month, form_team = excluded.form_team, team = excluded.team,
          originating_worker_id = excluded.originating_worker_id, access_worker_id = excluded.access_worker_id, state = excluded.state,
          closing_action = excluded.closing_action, closing_reason = excluded.closing_reason, kind = excluded.kind,
          agreed_at = excluded.agreed_at, authorised_at = excluded.authorised_at, claimed_at = excluded.claimed_at,
          searched_at = excluded.searched_at, finalised_at = excluded.finalised_at, shared_at = excluded.shared_at,
          submitted_agreed_ms = excluded.submitted_agreed_ms, agreed_authorised_ms = excluded.agreed_authorised_ms,
          authorised_claimed_ms = excluded.authorised_claimed_ms, claimed_searched_ms = excluded.claimed_searched_ms,
          searched_finalised_ms = excluded.searched_finalised_ms, finalised_shared_ms = excluded.finalised_shared_ms,
          search_seconds = excluded.search_seconds, search_sessions = excluded.search_sessions, useful_pieces = excluded.useful_pieces,
          unique_pieces = excluded.unique_pieces, contribution = excluded.contribution, feedback_given = excluded.feedback_given,
          follow_up = excluded.follow_up
`;

export const evaluationFacts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE evaluation_facts (
        request_id text PRIMARY KEY REFERENCES investigation_requests (id) ON DELETE CASCADE,
        submitted_at timestamptz,
        submitted_month text,
        form_team text,
        team text,
        originating_worker_id text NOT NULL,
        access_worker_id text,
        state text NOT NULL,
        closing_action text,
        closing_reason text,
        kind text,
        agreed_at timestamptz,
        authorised_at timestamptz,
        claimed_at timestamptz,
        searched_at timestamptz,
        finalised_at timestamptz,
        shared_at timestamptz,
        submitted_agreed_ms double precision,
        agreed_authorised_ms double precision,
        authorised_claimed_ms double precision,
        claimed_searched_ms double precision,
        searched_finalised_ms double precision,
        finalised_shared_ms double precision,
        search_seconds double precision NOT NULL,
        search_sessions integer NOT NULL,
        useful_pieces integer,
        unique_pieces integer,
        contribution text,
        feedback_given boolean NOT NULL,
        follow_up text
      )`,
      `CREATE INDEX evaluation_facts_submitted_idx ON evaluation_facts (submitted_at) WHERE submitted_at IS NOT NULL`,
      `CREATE INDEX evaluation_facts_originating_idx ON evaluation_facts (originating_worker_id)`,
      `CREATE FUNCTION evaluation_facts_refresh(p_ids text[]) RETURNS void LANGUAGE sql VOLATILE AS $$${EVALUATION_FACTS_REFRESH}$$`,
      // A request with no team of its own counts in its worker's team as the directory has it now.
      `CREATE FUNCTION evaluation_facts_people_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM evaluation_facts_refresh(ARRAY(
          SELECT f.request_id FROM written w JOIN evaluation_facts f ON f.originating_worker_id = w.id
          WHERE f.form_team IS NULL AND f.team IS DISTINCT FROM w.team));
        RETURN NULL;
      END
      $$`,
      `CREATE FUNCTION evaluation_facts_requests_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM evaluation_facts_refresh(ARRAY(SELECT w.id FROM written w));
        RETURN NULL;
      END
      $$`,
      `CREATE FUNCTION evaluation_facts_sessions_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM evaluation_facts_refresh(ARRAY(SELECT DISTINCT w.request_id FROM written w));
        RETURN NULL;
      END
      $$`,
      // Refusals, reminders and other entries that change no state leave the figures as they are.
      `CREATE FUNCTION evaluation_facts_audit_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM evaluation_facts_refresh(ARRAY(
          SELECT DISTINCT w.request_id FROM written w WHERE w.request_id IS NOT NULL AND w.from_state IS DISTINCT FROM w.to_state));
        RETURN NULL;
      END
      $$`,
      // A trigger with a transition table takes one event, hence one trigger per event.
      `CREATE TRIGGER evaluation_facts_request_inserted AFTER INSERT ON investigation_requests
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_facts_requests_written()`,
      `CREATE TRIGGER evaluation_facts_request_updated AFTER UPDATE ON investigation_requests
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_facts_requests_written()`,
      `CREATE TRIGGER evaluation_facts_session_inserted AFTER INSERT ON search_sessions
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_facts_sessions_written()`,
      `CREATE TRIGGER evaluation_facts_session_updated AFTER UPDATE ON search_sessions
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_facts_sessions_written()`,
      `CREATE TRIGGER evaluation_facts_people_inserted AFTER INSERT ON people
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_facts_people_written()`,
      `CREATE TRIGGER evaluation_facts_people_updated AFTER UPDATE ON people
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_facts_people_written()`,
      `CREATE TRIGGER evaluation_facts_audit_inserted AFTER INSERT ON audit_entries
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION evaluation_facts_audit_written()`,
      `SELECT evaluation_facts_refresh(ARRAY(SELECT id FROM investigation_requests))`,
    ]);
  },
};
