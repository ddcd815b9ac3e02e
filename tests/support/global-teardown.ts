/** Removes the template databases and stops the server global-setup started (if it started one). */
import { rmSync } from 'node:fs';
import { dropPostgresTemplate, PGLITE_TEMPLATE_ENV, POSTGRES_TEMPLATE_ENV } from './databases';
import { SERVER_KEY } from './global-setup';
import { stopPostgres, type TestPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const pgliteTemplate = process.env[PGLITE_TEMPLATE_ENV];
  if (pgliteTemplate) rmSync(pgliteTemplate, { recursive: true, force: true });
  delete process.env[PGLITE_TEMPLATE_ENV];
  const postgresTemplate = process.env[POSTGRES_TEMPLATE_ENV];
  delete process.env[POSTGRES_TEMPLATE_ENV];
  const globals = globalThis as Record<string, unknown>;
  const server = globals[SERVER_KEY] as TestPostgres | undefined;
  if (!server) {
    // A server we did not start outlives the run: leave it as we found it.
    if (postgresTemplate) await dropPostgresTemplate(postgresTemplate);
    return;
  }
  delete globals[SERVER_KEY];
  delete process.env.TEST_DATABASE_URL;
  await stopPostgres(server);
}
