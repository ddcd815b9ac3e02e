/**
 * `npm run audit:verify`: checks the audit chain of the database the app uses (DATABASE_URL, else
 * PGlite in DATA_DIR, default ./data). Exits 0 when intact, 1 naming the first bad entry, 2 when
 * the database cannot be read. On PGlite, stop the app first: only one process may open the data
 * directory.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain } from '../src/audit/verify';
import { openDatabase } from '../src/store/database';

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = process.env.DATA_DIR || './data';
  if (!databaseUrl && !existsSync(join(dataDir, 'pglite'))) {
    console.error(`No database found: ${join(dataDir, 'pglite')} does not exist (set DATA_DIR or DATABASE_URL).`);
    return 2;
  }
  const { db } = await openDatabase({ databaseUrl, dataDir });
  try {
    const result = await verifyAuditChain(db);
    if (result.ok) {
      console.log(`Audit chain intact: ${result.checked} entries`);
      return 0;
    }
    const bad = result.firstBad;
    console.log(`Audit chain broken at seq ${bad?.seq}: ${bad?.problem}`);
    console.log(`${result.checked} entries before it are intact.`);
    return 1;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Could not verify the audit chain: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
