/**
 * `npm run provision:sharepoint`: creates or updates the evidence library, its columns, content
 * type and permissions on the configured site. Safe to run again: it changes only what differs.
 * Exits 0 when done (printing what changed and the drive id to configure), 2 on failure.
 */
import { provisionSharePoint } from '../infra/sharepoint/provision';
import { provisionConfigFromEnv } from '../infra/sharepoint/config';
import { createTokenProvider } from '../src/graph';

async function main(): Promise<number> {
  const { options, credentials } = provisionConfigFromEnv();
  const retries = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 120_000 };
  const result = await provisionSharePoint(options, createTokenProvider(credentials), retries, credentials.caCertificate);
  if (result.changes.length) for (const change of result.changes) console.log(`changed: ${change}`);
  else console.log('Nothing to change: the library is already as configured.');
  console.log(`Library ${options.libraryName}: list ${result.listId}`);
  console.log(`SHAREPOINT_DRIVE_ID=${result.driveId}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const fields = error instanceof Error && 'fields' in error ? ` ${JSON.stringify(error.fields)}` : '';
    console.error(`Provisioning failed: ${error instanceof Error ? error.message : String(error)}${fields}`);
    process.exitCode = 2;
  },
);
