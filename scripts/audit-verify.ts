/**
 * `npm run audit:verify`: checks the audit chain of the database the app uses (DATABASE_URL, else
 * PGlite in DATA_DIR, default ./data) against itself and against the checkpoints published outside
 * it (AUDIT_CHECKPOINT_DIR, default DATA_DIR/checkpoints; SharePoint when EVIDENCE_STORE=sharepoint),
 * whose signatures are checked with AUDIT_PUBLIC_KEY, AUDIT_SIGNING_KEY or the local key in DATA_DIR.
 * Exits 0 when intact, 1 naming the first bad entry, 2 when the database or the checkpoints cannot
 * be read. On PGlite, stop the app first: only one process may open the data directory.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readPublished } from '../src/audit/publish';
import { verifyAuditChain } from '../src/audit/verify';
import { evidenceConfigFromEnv } from '../src/evidence/config';
import { auditAnchorConfig, createCheckpointStore, loadCheckpointVerifyKeys } from '../src/server/audit-anchor';
import { openDatabase } from '../src/store/database';

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = path.resolve(process.env.DATA_DIR || './data');
  if (!databaseUrl && !existsSync(path.join(dataDir, 'pglite'))) {
    console.error(`No database found: ${path.join(dataDir, 'pglite')} does not exist (set DATA_DIR or DATABASE_URL).`);
    return 2;
  }
  const anchor = auditAnchorConfig(process.env, {
    dataDir,
    production: process.env.NODE_ENV === 'production',
    evidence: evidenceConfigFromEnv({ ...process.env, DATA_DIR: dataDir }),
  });
  const checkpoints = await createCheckpointStore(anchor);
  let published;
  try {
    published = await readPublished(checkpoints);
  } finally {
    checkpoints.close();
  }
  const publicKeys = await loadCheckpointVerifyKeys(anchor);

  const { db } = await openDatabase({ databaseUrl, dataDir, poolSize: 1 });
  try {
    const result = await verifyAuditChain(db, { published, publicKeys });
    if (!result.ok) {
      const bad = result.firstBad;
      console.log(`Audit chain broken at seq ${bad?.seq}: ${bad?.problem}`);
      console.log(`${result.checked} entries before it are intact.`);
      return 1;
    }
    console.log(`Audit chain intact: ${result.checked} entries`);
    if (result.unlinked > 0) console.log(`${result.unlinked} entries are written but not linked yet (the running server links them within a second).`);
    if (result.latestAnchor) {
      console.log(
        `Matches ${result.anchors} published checkpoints in ${checkpoints.where}; the latest covers entries 1 to ${result.latestAnchor.treeSize} (${result.latestAnchor.timestamp}).`,
      );
      if (publicKeys.length === 0) console.log('Their signatures were not checked: no key is configured (set AUDIT_PUBLIC_KEY).');
    } else {
      console.log(`No published checkpoints in ${checkpoints.where}: the chain was checked against itself only (run npm run audit:checkpoint).`);
    }
    return 0;
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
