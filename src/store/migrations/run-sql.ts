import { sql, type Kysely } from 'kysely';

/**
 * Runs DDL one statement at a time: PGlite's query path (the extended protocol) takes a single
 * statement, and so does node-postgres once a query has parameters.
 */
export async function runStatements(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
