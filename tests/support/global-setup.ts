/**
 * Starts the PostgreSQL server the store suites use, unless TEST_DATABASE_URL already names one.
 * Jest workers start after this and inherit TEST_DATABASE_URL.
 */
import { startPostgres, type TestPostgres } from './postgres';

export const SERVER_KEY = '__smcTestPostgres';

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const server: TestPostgres = await startPostgres();
  process.env.TEST_DATABASE_URL = server.url;
  // globalSetup and globalTeardown share this global; test files cannot see it.
  (globalThis as Record<string, unknown>)[SERVER_KEY] = server;
}
