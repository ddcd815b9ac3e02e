/**
 * Run as a child process by crash.test.ts: writes a request in the state a decision left it and
 * the decision's audit entry in one committed transaction, as a use case does, prints the entry's
 * id, and then hangs without ever linking the entry or projecting the request's evaluation row, so
 * that the test can kill -9 it between commit and that work. The database comes from DATABASE_URL,
 * else PGlite in DATA_DIR.
 */
import { createStore } from '../../../../src/store';
import { fullRequest } from '../../../support/store-fixtures';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const store = await createStore({ dataDir: process.env.DATA_DIR ?? ':memory:', ...(databaseUrl ? { databaseUrl } : {}) });
  const requestId = process.env.REQUEST_ID ?? '';
  const entry = await store.transaction(async (uow) => {
    await uow.requests.insert(fullRequest({ id: requestId, state: 'awaiting_service_director' }));
    return uow.audit.append({
      at: new Date().toISOString(),
      actorId: 'tm-1',
      actorRole: 'team_manager',
      action: 'agree',
      requestId,
      fromState: 'awaiting_team_manager',
      toState: 'awaiting_service_director',
      reason: null,
      detail: null,
      httpRequestId: 'crash-test',
    });
  });
  process.stdout.write(`committed ${entry.id}\n`);
  // Keep the process (and its database) open until it is killed.
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
