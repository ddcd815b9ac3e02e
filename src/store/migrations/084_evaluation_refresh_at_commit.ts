/**
 * A decision writes its request and then its audit entry, and each statement's trigger rebuilt the
 * request's evaluation row (migration 080): twice per decision, the first time from a state the
 * second at once replaced. Now each statement's trigger notes the requests it wrote, and the row is
 * rebuilt once, when the transaction commits, from everything it wrote — by a deferred constraint
 * trigger on the notes, whose first firing takes every note of its transaction. The notes are
 * deleted as they are taken, so none outlives its transaction, and notes are keyed by transaction
 * so that concurrent transactions never wait on one another's.
 *
 * People written still rebuild at once: that is rare, and reads the rows as they stand.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const evaluationRefreshAtCommit: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE evaluation_pending (
        xact xid8 NOT NULL,
        request_ids text[] NOT NULL
      )`,
      `CREATE INDEX evaluation_pending_xact_idx ON evaluation_pending (xact)`,
      `CREATE FUNCTION evaluation_pending_note(p_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(p_ids) > 0 THEN
          INSERT INTO evaluation_pending (xact, request_ids) VALUES (pg_current_xact_id(), p_ids);
        END IF;
      END
      $$`,
      `CREATE FUNCTION evaluation_pending_flush() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ids text[];
      BEGIN
        WITH taken AS (DELETE FROM evaluation_pending WHERE xact = pg_current_xact_id() RETURNING request_ids)
        SELECT array_agg(DISTINCT id) INTO ids FROM taken, unnest(taken.request_ids) AS id;
        IF ids IS NOT NULL THEN
          PERFORM evaluation_facts_refresh(ids);
        END IF;
        RETURN NULL;
      END
      $$`,
      `CREATE CONSTRAINT TRIGGER evaluation_pending_flush AFTER INSERT ON evaluation_pending
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION evaluation_pending_flush()`,
      `CREATE OR REPLACE FUNCTION evaluation_facts_requests_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM evaluation_pending_note(ARRAY(SELECT w.id FROM written w));
        RETURN NULL;
      END
      $$`,
      `CREATE OR REPLACE FUNCTION evaluation_facts_sessions_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM evaluation_pending_note(ARRAY(SELECT DISTINCT w.request_id FROM written w));
        RETURN NULL;
      END
      $$`,
      `CREATE OR REPLACE FUNCTION evaluation_facts_audit_written() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM evaluation_pending_note(ARRAY(
          SELECT DISTINCT w.request_id FROM written w WHERE w.request_id IS NOT NULL AND w.from_state IS DISTINCT FROM w.to_state));
        RETURN NULL;
      END
      $$`,
    ]);
  },
};
