/**
 * The evaluation's projection (migration 080) is rebuilt in every decision. As a SQL function, its
 * statement — two lateral joins and an upsert of thirty columns — was parsed and planned afresh on
 * every call, which cost several times running it and made it most of what a decision asked of
 * the database. Run from PL/pgSQL with a generic plan, it is planned once per connection (left to
 * itself, PostgreSQL would keep choosing a custom plan for each array of ids).
 *
 * Its rows are locked first, in id order: the upsert computes a row from a snapshot taken before
 * it waits for the row, so two transactions writing one request (a decision, and a search session
 * ending) could otherwise each rebuild it without the other's change. Once it holds the lock, the
 * upsert's own snapshot sees whatever the one it waited for committed.
 */
import type { Kysely, Migration } from 'kysely';
import { EVALUATION_FACTS_REFRESH } from './080_evaluation_facts';
import { runStatements } from './run-sql';

export const evaluationRefreshPlpgsql: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE OR REPLACE FUNCTION evaluation_facts_refresh(p_ids text[]) RETURNS void LANGUAGE plpgsql VOLATILE
      SET plan_cache_mode = force_generic_plan AS $$
      BEGIN
        PERFORM 1 FROM evaluation_facts WHERE request_id = ANY (p_ids) ORDER BY request_id FOR UPDATE;
        ${EVALUATION_FACTS_REFRESH.trim()};
      END
      $$`,
    ]);
  },
};
