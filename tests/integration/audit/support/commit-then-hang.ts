/**
 * Run as a child process by crash.test.ts: records a decision's audit entry in a committed
 * transaction, as a use case does, prints its id, and then hangs without ever linking it, so
 * that the test can kill -9 it between commit and sequencing. The database comes from
 * DATABASE_URL, else PGlite in DATA_DIR.
 */
import { createStore } from '../../../../src/store';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const store = await createStore({ dataDir: process.env.DATA_DIR ?? ':memory:', ...(databaseUrl ? { databaseUrl } : {}) });
  const entry = await store.transaction((uow) =>
    uow.audit.append({
      at: new Date().toISOString(),
      actorId: 'tm-1',
      actorRole: 'team_manager',
      action: 'agree',
      requestId: process.env.REQUEST_ID ?? null,
      fromState: 'awaiting_team_manager',
      toState: 'awaiting_service_director',
      reason: null,
      detail: null,
      httpRequestId: 'crash-test',
    }),
  );
  process.stdout.write(`committed ${entry.id}\n`);
  // Keep the process (and its database) open until it is killed.
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
