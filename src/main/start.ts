/** Starts the server: `npm start`. With no configuration it runs the embedded local mode. */
import { performance } from 'node:perf_hooks';
import { startTelemetry } from '../server/telemetry';
import { pgliteFiles } from '../store/pglite-files';

/** STARTUP_TRACE=1: each phase of the start on standard error, in ms since the process began. */
const phase = process.env.STARTUP_TRACE === '1' ? (name: string) => console.error(`startup: ${name} at ${Math.round(performance.now())} ms`) : () => undefined;

async function main(): Promise<void> {
  // Embedded PGlite's WebAssembly compiles in the background from now on, while modules load.
  if (!process.env.DATABASE_URL) pgliteFiles().catch(() => undefined);
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
  // Embedded PGlite is opened here, the server awaiting it only where it needs the database, with
  // its WebAssembly compiled meanwhile (above). (A PostgreSQL server's pool is the server's to make,
  // with its logger.)
  const store = config.databaseUrl
    ? undefined
    : import('../store')
        .then(({ createStore }) => createStore({ dataDir: config.dataDir }))
        .then((opened) => (phase('database open and migrated'), opened));
  store?.catch(() => undefined);
  const { buildServer } = await import('./server');
  phase('server modules loaded');
  const server = await buildServer(config, { sweepIntervalMs: 60_000, anchorIntervalMs: 3_600_000, ...(store ? { store } : {}) });
  const shutdown = async (signal: string) => {
    server.app.log.info(`${signal}: shutting down`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  phase('server built');
  await server.app.listen({ port: config.port, host: config.host });
  phase('listening');
  // Loaded as soon as the server listens rather than on first use, where its second of synchronous module
  // loading would fall on the first person's decision and on every request queued behind it.
  setImmediate(() => {
    server
      .loadBot()
      .then(() => phase('bot loaded'))
      .catch((error: unknown) => server.app.log.error({ err: error }, 'the bot failed to load'));
  });
  const mode = config.localSignIn ? 'local mode (embedded PGlite unless DATABASE_URL is set, local sign-in)' : 'Teams mode';
  server.app.log.info(`Social Media Checks is running in ${mode} at ${config.publicUrl}${telemetryEnabled ? ', sending telemetry to Application Insights' : ''}`);
}

main().catch((error: unknown) => {
  console.error('Social Media Checks failed to start:', error);
  process.exit(1);
});
