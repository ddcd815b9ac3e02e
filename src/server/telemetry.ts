/**
 * OpenTelemetry traces, metrics and logs to Application Insights, when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set (App Service sets it from the Bicep template).
 * Imported before anything else by main.ts: the HTTP, PostgreSQL and Fastify instrumentations
 * only see modules loaded after they are installed.
 */
import { useAzureMonitor } from '@azure/monitor-opentelemetry';

const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
if (connectionString) {
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
}

export const telemetryEnabled = Boolean(connectionString);
