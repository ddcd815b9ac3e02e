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
import { readPublished } from '../src/audit/published';
import type { AuditVerification, VerifyOptions } from '../src/audit/walk';
import { evidenceConfigFromEnv } from '../src/evidence/config';
import { auditAnchorConfig, createCheckpointStore, loadCheckpointVerifyKeys } from '../src/server/audit-anchor';

/**
 * A PostgreSQL server is read through node-postgres alone; the app's store (kysely, the
 * migrations, PGlite) is loaded only for PGlite. Either way the connection opens while the
 * checkpoints are read.
 */
async function verifier(databaseUrl: string | undefined, dataDir: string): Promise<{ verify(options: VerifyOptions): Promise<AuditVerification>; close(): Promise<void> }> {
  if (databaseUrl) {
    const { connectForVerify, verifyAuditChainOnPostgres } = await import('../src/audit/verify-postgres');
    const client = await connectForVerify(databaseUrl);
    return { verify: (options) => verifyAuditChainOnPostgres(client, options), close: () => client.end() };
  }
  const [{ openDatabase }, { verifyAuditChain }] = await Promise.all([import('../src/store/database'), import('../src/audit/verify')]);
  const { db } = await openDatabase({ dataDir, poolSize: 1 });
  return { verify: (options) => verifyAuditChain(db, options), close: () => db.destroy() };
}

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
  const opening = verifier(databaseUrl, dataDir);
  let published;
  let publicKeys;
  const checkpoints = await createCheckpointStore(anchor).catch(async (error: unknown) => {
    await opening.then((database) => database.close()).catch(() => undefined);
    throw error;
  });
  try {
    try {
      published = await readPublished(checkpoints);
    } finally {
      checkpoints.close();
    }
    publicKeys = await loadCheckpointVerifyKeys(anchor);
  } catch (error) {
    await opening.then((database) => database.close()).catch(() => undefined);
    throw error;
  }

  const database = await opening;
  try {
    const result = await database.verify({ published, publicKeys });
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
    await database.close();
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
