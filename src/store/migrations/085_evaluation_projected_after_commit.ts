/**
 * The evaluation's rows are rebuilt after their decisions commit, in batches, no longer in each
 * decision's own commit. Rebuilding one request's row alone cost about 1.2 ms of the database's time
 * (its upsert and the tallies' triggers), most of what a decision asked of the database beyond its
 * own writes; rebuilt two hundred at a time it cost about 0.13 ms a row.
 *
 * Each write still notes, in its own transaction, the requests it wrote (migration 084), so a note
 * commits or rolls back with its write and nothing is lost in a crash: a note stays until it is
 * projected. `evaluation_project_pending` takes up to `p_limit` notes and rebuilds the rows of at most
 * `p_limit` of their requests, noting the rest again in its own transaction: one statement that wrote
 * 100,000 requests (a bulk copy) is worked through in bounded steps, not one long transaction. One
 * projection runs at a time across every instance (a transaction-level advisory lock), so a reader
 * that projects before it reads waits for one already running and then finds every note committed
 * before it began projected. Each statement runs on a fresh snapshot: the rows are rebuilt from
 * everything committed when the notes were taken, and a write committed since leaves its own note.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

/** The advisory lock key projections take: any number fixed for this app, apart from the chain's. */
export const EVALUATION_PROJECTION_LOCK = 1397572418;

export const evaluationProjectedAfterCommit: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `DROP TRIGGER evaluation_pending_flush ON evaluation_pending`,
      `DROP FUNCTION evaluation_pending_flush()`,
      // more: notes committed before this began may remain (it took as many as it may, or noted some
      // of its requests again).
      `CREATE FUNCTION evaluation_project_pending(p_limit integer, OUT rebuilt integer, OUT more boolean) LANGUAGE plpgsql AS $$
      DECLARE
        taken_notes integer;
        ids text[];
      BEGIN
        PERFORM pg_advisory_xact_lock(${EVALUATION_PROJECTION_LOCK});
        WITH taken AS (
          DELETE FROM evaluation_pending WHERE ctid = ANY (ARRAY(SELECT ctid FROM evaluation_pending LIMIT p_limit))
          RETURNING request_ids
        )
        SELECT (SELECT count(*) FROM taken), (SELECT array_agg(DISTINCT id ORDER BY id) FROM taken, unnest(taken.request_ids) AS id)
          INTO taken_notes, ids;
        more := taken_notes >= p_limit;
        rebuilt := coalesce(cardinality(ids), 0);
        IF rebuilt > p_limit THEN
          INSERT INTO evaluation_pending (xact, request_ids) VALUES (pg_current_xact_id(), ids[p_limit + 1:]);
          ids := ids[1:p_limit];
          rebuilt := p_limit;
          more := true;
        END IF;
        IF rebuilt > 0 THEN
          PERFORM evaluation_facts_refresh(ids);
        END IF;
      END
      $$`,
    ]);
  },
};
