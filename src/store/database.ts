/**
 * Opens the database: a PostgreSQL server through node-postgres when a URL is given, otherwise
 * PGlite persisted under the data directory. Both return timestamps as ISO 8601 strings
 * (`2026-01-02T03:04:05.678Z`), dates as `yyyy-mm-dd` and bigints as numbers, which is how the
 * domain types carry them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, Migrator, PostgresDialect, sql, type Dialect, type Driver } from 'kysely';
import type pg from 'pg';
import { migrations } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import { openPGlite, type PGliteSession } from './pglite-session';
import type { Database } from './schema';
import { TEXT_PARSERS } from './value-parsers';

export interface DatabaseOptions {
  /** A PostgreSQL server (`postgres://…`); when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite's home: `${dataDir}/pglite`. `':memory:'` keeps it in memory (tests). */
  dataDir: string;
  /** PGlite already opening there in its own thread (openPGliteInThread), started before the store's modules loaded. */
  pglite?: Promise<PGliteSession>;
  /** Connections in the pool (PostgreSQL server only). */
  poolSize?: number;
  /**
   * An idle pooled connection failed (the server restarted or dropped it); the pool has discarded
   * it and opens another when needed. Default: a line on standard error.
   */
  onPoolError?: (error: Error) => void;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  /**
   * Runs transaction work so that any attempt to take another connection from inside it fails at
   * once: on PGlite (one session) that would wait for the transaction forever, and on a server it
   * would read outside the transaction.
   */
  insideTransaction<T>(work: () => Promise<T>): Promise<T>;
}

/** node-postgres's parsers, but ours where TEXT_PARSERS has one. */
const pgTypes = (types: typeof pg.types): pg.CustomTypesConfig => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format ?? 'text') === 'text' && TEXT_PARSERS[oid] ? TEXT_PARSERS[oid] : types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
});

const transactionScope = new AsyncLocalStorage<object>();

/** Wraps a driver so that taking a connection inside this database's transaction work throws. */
function guardedDialect(inner: Dialect, token: object): Dialect {
  const guard = (driver: Driver): Driver => ({
    init: () => driver.init(),
    acquireConnection: () => {
      if (transactionScope.getStore() === token) {
        return Promise.reject(
          new Error('A query ran outside the unit of work while a transaction was open: use the transaction’s unit of work.'),
        );
      }
      return driver.acquireConnection();
    },
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    releaseConnection: (connection) => driver.releaseConnection(connection),
    destroy: () => driver.destroy(),
    ...(driver.savepoint && driver.rollbackToSavepoint && driver.releaseSavepoint
      ? {
          savepoint: driver.savepoint.bind(driver),
          rollbackToSavepoint: driver.rollbackToSavepoint.bind(driver),
          releaseSavepoint: driver.releaseSavepoint.bind(driver),
        }
      : {}),
  });
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => guard(inner.createDriver()),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
  };
}

/**
 * How long a pooled connection may sit idle before the pool closes it. node-postgres closes them
 * after 10 s by default, so under steady light load the connections a burst had opened closed
 * every ten seconds and the next burst opened them again: each new connection costs PostgreSQL a
 * backend start and planning afresh what it runs (then also the evaluation refresh, which the
 * projector runs since migration 085), and those reopenings put a stall of 100-200 ms into the
 * decisions every ten seconds. Five minutes keeps them through the pauses between bursts of use,
 * and still closes them when nobody is using the app.
 */
export const POOL_IDLE_TIMEOUT_MS = 5 * 60_000;

/** Opens the database without migrating it (the audit verifier must not change what it checks). */
export async function openDatabase(options: DatabaseOptions): Promise<OpenedDatabase> {
  let dialect: Dialect;
  if (options.databaseUrl) {
    // Loaded only for a server: embedded PGlite starts faster without it.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
      // Connections kept that long must not keep a process alive that has nothing else to do (a
      // script that forgot to close its store); a server's listener keeps it alive anyway.
      allowExitOnIdle: true,
      types: pgTypes(pg.types),
    });
    // An idle connection dropped by the server is discarded by the pool; without a listener the
    // 'error' event would end the process. It is logged, as many of them mean the server is unwell.
    const onPoolError = options.onPoolError ?? ((error: Error) => console.error(`PostgreSQL dropped an idle pooled connection: ${error.message}`));
    pool.on('error', (error) => onPoolError(error));
    dialect = new PostgresDialect({ pool });
  } else {
    dialect = new PGliteDialect(await (options.pglite ?? openPGlite(options.dataDir)));
  }
  const token = {};
  return {
    db: new Kysely<Database>({ dialect: guardedDialect(dialect, token) }),
    insideTransaction: (work) => transactionScope.run(token, work),
  };
}

/**
 * Whether every migration has run already, as on every start but the first after a release: one
 * query, where the migrator would introspect the schema and take its locks (a large part of the
 * start-up time on PGlite).
 */
async function upToDate(db: Kysely<Database>): Promise<boolean> {
  // A new database has no such table: the migrator makes it.
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db).catch(() => ({ rows: [] as { name: string }[] }));
  const done = new Set(rows.map((r) => r.name));
  return Object.keys(migrations).every((name) => done.has(name));
}

/** The advisory lock key instances take while migrating: any number fixed for this app. */
const MIGRATION_LOCK_KEY = 5_146_310_091;

/**
 * Brings the schema up to date; safe when several instances start at once. Kysely's own lock
 * table is created by the first migrator to get there, and two creating it together collide, so
 * the whole run holds a session-level advisory lock: the second instance waits, then finds
 * nothing left to do.
 */
export async function migrate(db: Kysely<Database>): Promise<void> {
  if (await upToDate(db)) return;
  await db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
    try {
      // Migrations are numbered by feature area, so a later release can add one below the highest
      // already run (an index beside the 010s); each is independent of those after it.
      const migrator = new Migrator({ db: connection, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName;
        throw new Error(`Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
    }
  });
}
