import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../tests/support/postgres';
import { createDatabase } from './decisions';
import { fillForBench } from './audit-verify';
void (async () => {
  const server = await startPostgres();
  const databaseUrl = await createDatabase(server.url, 'bench_audit');
  const checkpointDir = mkdtempSync(join(tmpdir(), 'smc-prof-cp-'));
  const publicKey = await fillForBench(databaseUrl, 100_000, checkpointDir);
  writeFileSync('/work/prof/env.json', JSON.stringify({ DATABASE_URL: databaseUrl, AUDIT_CHECKPOINT_DIR: checkpointDir, AUDIT_PUBLIC_KEY: publicKey, DIR: server.dir }));
  console.log('ready', databaseUrl);
  setInterval(() => undefined, 1e9);
})();
