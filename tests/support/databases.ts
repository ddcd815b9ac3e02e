/**
 * The databases the store suites run on: embedded PGlite, and the PostgreSQL server that
 * global-setup started (TEST_DATABASE_URL). Each call makes a fresh, empty database, so suites and
 * tests never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createStore, type SqlStore } from '../../src/store';

export type BackendName = 'PGlite' | 'PostgreSQL';
/** Where global-setup left the migrated templates (a PGlite data directory, a database name). */
export const PGLITE_TEMPLATE_ENV = 'TEST_PGLITE_TEMPLATE';
export const POSTGRES_TEMPLATE_ENV = 'TEST_POSTGRES_TEMPLATE';
export const BACKENDS: BackendName[] = ['PGlite', 'PostgreSQL'];

export interface TestDatabase {
  backend: BackendName;
  /** The environment that points the app or `npm run audit:verify` at this database. */
  env: { DATABASE_URL: string } | { DATA_DIR: string };
  /** Opens (and migrates) a store on it; on PGlite close it before opening another or running a CLI. */
  open(): Promise<SqlStore>;
  /** Removes the database. Close its stores first. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with jest (global-setup starts the server).');
  return url;
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates and migrates the database every fresh PostgreSQL test database is copied from. */
export async function createPostgresTemplate(): Promise<string> {
  const name = `smc_template_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const store = await createStore({ databaseUrl: url.toString(), dataDir: ':memory:' });
  await store.close();
  return name;
}

export async function dropPostgresTemplate(name: string): Promise<void> {
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * A new database with no rows: a PGlite directory, or a database created on the test server. It
 * is a copy of global-setup's migrated template when there is one (opening it then finds every
 * migration run), or empty when there is none or the test asks for `empty` (to test migrating).
 */
export async function freshDatabase(backend: BackendName, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  if (backend === 'PGlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'smc-pglite-'));
    const template = options.empty ? undefined : process.env[PGLITE_TEMPLATE_ENV];
    if (template && existsSync(join(template, 'pglite'))) cpSync(join(template, 'pglite'), join(dataDir, 'pglite'), { recursive: true });
    return {
      backend,
      env: { DATA_DIR: dataDir },
      open: () => createStore({ dataDir }),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `smc_test_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? undefined : process.env[POSTGRES_TEMPLATE_ENV];
  await onServer((client) => client.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    backend,
    env: { DATABASE_URL: databaseUrl },
    open: () => createStore({ databaseUrl, dataDir: ':memory:' }),
    drop: async () => {
      await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Opens a store on a fresh database; closing the store also removes the database. */
export async function openFreshStore(backend: BackendName): Promise<SqlStore> {
  if (backend === 'PGlite') return createStore({ dataDir: ':memory:' });
  const database = await freshDatabase(backend);
  const store = await database.open();
  return {
    ...store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** For `describe.each`: each backend's name with a function opening a store on a fresh database. */
export const STORE_BACKENDS: [BackendName, () => Promise<SqlStore>][] = BACKENDS.map((name) => [name, () => openFreshStore(name)]);
