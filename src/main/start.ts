/** Starts the server: `npm start`. With no configuration it runs the embedded local mode. */
import { performance } from 'node:perf_hooks';
import { startTelemetry } from '../server/telemetry';
import { openPGliteInThread } from '../store/pglite-session';

/** STARTUP_TRACE=1: each phase of the start on standard error, in ms since the process began. */
const phase = process.env.STARTUP_TRACE === '1' ? (name: string) => console.error(`startup: ${name} at ${Math.round(performance.now())} ms`) : () => undefined;
/** How long shutdown may take in all (App Service, like most platforms, waits 10 s after SIGTERM). */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  // First: telemetry instruments the modules loaded after it, so everything else is loaded after.
  const telemetryEnabled = await startTelemetry();
  const { ConfigError, loadConfig } = await import('../server/config');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Social Media Checks cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  for (const warning of config.warnings) console.error(`\n*** WARNING: ${warning} ***\n`);
  phase('configuration read');
  // Embedded PGlite opens in its own thread from now on, while this one loads the server's modules;
  // the server awaits it only where it needs the database. (A PostgreSQL server's pool is the
  // server's to make, with its logger.)
  const pglite = config.databaseUrl ? undefined : openPGliteInThread(config.dataDir);
  pglite?.catch(() => undefined);
  const store = pglite
    ? import('../store')
        .then(({ createStore }) => createStore({ dataDir: config.dataDir, pglite }))
        .then((opened) => (phase('database open and migrated'), opened))
    : undefined;
  store?.catch(() => undefined);
  const { buildServer } = await import('./server');
  phase('server modules loaded');
  // The bot's modules (botbuilder and the card templates, over half a second of synchronous loading)
  // load now, while PGlite opens in its thread, rather than once the server listens, where they kept
  // the first requests waiting.
  await import('../../bot');
  phase('bot modules loaded');
  const server = await buildServer(config, { sweepIntervalMs: 60_000, anchorIntervalMs: 3_600_000, ...(store ? { store } : {}) });
  const shutdown = async (signal: string) => {
    server.app.log.info(`${signal}: shutting down`);
    // The platform stops waiting after 10 s: whatever is left then (a database that no longer
    // answers) is left for the next start, which links unlinked audit entries and resends the outbox.
    setTimeout(() => {
      server.app.log.error(`shutdown took more than ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting with it unfinished`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  phase('server built');
  await server.app.listen({ port: config.port, host: config.host });
  phase('listening');
  // Made as soon as the server listens rather than on first use (its modules are loaded already).
  setImmediate(() => {
    server
      .loadBot()
      .then(() => phase('bot ready'))
      .catch((error: unknown) => server.app.log.error({ err: error }, 'the bot failed to load'));
  });
  const mode = config.localSignIn ? 'local mode (embedded PGlite unless DATABASE_URL is set, local sign-in)' : 'Teams mode';
  server.app.log.info(`Social Media Checks is running in ${mode} at ${config.publicUrl}${telemetryEnabled ? ', sending telemetry to Application Insights' : ''}`);
}

main().catch((error: unknown) => {
  console.error('Social Media Checks failed to start:', error);
  process.exit(1);
});
