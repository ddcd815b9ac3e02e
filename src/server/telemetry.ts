/**
 * OpenTelemetry traces, metrics and logs to Application Insights, when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set (App Service sets it from the Bicep template).
 * Started by main.ts before anything else is loaded: the HTTP, PostgreSQL and Fastify
 * instrumentations only see modules loaded after they are installed. The SDK is loaded only when
 * it is used: its modules are a third of the server's and slowed every start without it.
 */
export async function startTelemetry(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return false;
  const { useAzureMonitor } = await import('@azure/monitor-opentelemetry');
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
  return true;
}
