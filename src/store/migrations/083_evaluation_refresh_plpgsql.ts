/**
 * The evaluation's projection (migration 080) is rebuilt twice in every decision: once for the
 * request written and once for its audit entry. As a SQL function, its statement — two lateral
 * joins and an upsert of thirty columns — was planned afresh on every call, which cost several
 * times running it and made it most of what a decision asked of the database. The same statement
 * run from PL/pgSQL keeps its plan for the connection's life.
 */
import type { Kysely, Migration } from 'kysely';
import { EVALUATION_FACTS_REFRESH } from './080_evaluation_facts';
import { runStatements } from './run-sql';

export const evaluationRefreshPlpgsql: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE OR REPLACE FUNCTION evaluation_facts_refresh(p_ids text[]) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        ${EVALUATION_FACTS_REFRESH.trim()};
      END
      $$`,
    ]);
  },
};
