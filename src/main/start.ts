/** Starts the server: `npm start`. With no configuration it runs the embedded local mode. */
import { startTelemetry } from '../server/telemetry';

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
  // Embedded PGlite is opened while the server's modules load: its WebAssembly compiles and its
  // files are read in the background meanwhile. (A PostgreSQL server's pool is the server's to make,
  // with its logger.)
  const store = config.databaseUrl ? undefined : import('../store').then(({ createStore }) => createStore({ dataDir: config.dataDir }));
  store?.catch(() => undefined);
  const { buildServer } = await import('./server');
  const server = await buildServer(config, { sweepIntervalMs: 60_000, anchorIntervalMs: 3_600_000, ...(store ? { store } : {}) });
  const shutdown = async (signal: string) => {
    server.app.log.info(`${signal}: shutting down`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await server.app.listen({ port: config.port, host: config.host });
  const mode = config.localSignIn ? 'local mode (embedded PGlite unless DATABASE_URL is set, local sign-in)' : 'Teams mode';
  server.app.log.info(`Social Media Checks is running in ${mode} at ${config.publicUrl}${telemetryEnabled ? ', sending telemetry to Application Insights' : ''}`);
}

main().catch((error: unknown) => {
  console.error('Social Media Checks failed to start:', error);
  process.exit(1);
});
