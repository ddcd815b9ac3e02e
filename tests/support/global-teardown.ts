/** Stops the server global-setup started (if it started one) and removes its directory. */
import { SERVER_KEY } from './global-setup';
import { stopPostgres, type TestPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const server = globals[SERVER_KEY] as TestPostgres | undefined;
  if (!server) return;
  delete globals[SERVER_KEY];
  delete process.env.TEST_DATABASE_URL;
  await stopPostgres(server);
}
