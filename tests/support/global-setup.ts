/**
 * Starts the PostgreSQL server the store suites use, unless TEST_DATABASE_URL already names one,
 * and migrates one template database on each backend, which every fresh test database copies:
 * migrating from empty each time cost most of a suite's start. Jest workers start after this and
 * inherit the variables.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/store';
import { createPostgresTemplate, PGLITE_TEMPLATE_ENV, POSTGRES_TEMPLATE_ENV } from './databases';
import { startPostgres, type TestPostgres } from './postgres';

export const SERVER_KEY = '__smcTestPostgres';

export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    const server: TestPostgres = await startPostgres();
    process.env.TEST_DATABASE_URL = server.url;
    // globalSetup and globalTeardown share this global; test files cannot see it.
    (globalThis as Record<string, unknown>)[SERVER_KEY] = server;
  }
  const pgliteTemplate = mkdtempSync(join(tmpdir(), 'smc-pglite-template-'));
  const store = await createStore({ dataDir: pgliteTemplate });
  await store.close();
  process.env[PGLITE_TEMPLATE_ENV] = pgliteTemplate;
  process.env[POSTGRES_TEMPLATE_ENV] = await createPostgresTemplate();
}
