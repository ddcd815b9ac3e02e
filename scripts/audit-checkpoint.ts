/**
 * `npm run audit:checkpoint`: links every committed audit entry, signs the chain's checkpoint and
 * publishes it outside the database (the same places and key as the server: docs/audit.md). The
 * server does this by itself at least daily; this is the on-demand way. Exits 0 having published
 * (or with nothing to publish), 2 on failure. On PGlite, stop the app first.
 */
import path from 'node:path';
import { anchorCheckpoint } from '../src/audit/publish';
import { evidenceConfigFromEnv } from '../src/evidence/config';
import { auditAnchorConfig, createCheckpointStore, loadCheckpointSigner } from '../src/server/audit-anchor';
import { createStore } from '../src/store';

async function main(): Promise<number> {
  const dataDir = path.resolve(process.env.DATA_DIR || './data');
  const anchor = auditAnchorConfig(process.env, {
    dataDir,
    production: process.env.NODE_ENV === 'production',
    evidence: evidenceConfigFromEnv({ ...process.env, DATA_DIR: dataDir }),
  });
  const signer = await loadCheckpointSigner(anchor);
  if (!signer) {
    console.error('No audit signing key: set AUDIT_SIGNING_KEY (in local mode the key is made in DATA_DIR).');
    return 2;
  }
  const checkpoints = await createCheckpointStore(anchor);
  const store = await createStore({ dataDir, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}) });
  try {
    const checkpoint = await anchorCheckpoint(store.db, signer, checkpoints);
    if (!checkpoint) {
      console.log('The audit trail is empty: nothing to publish.');
      return 0;
    }
    console.log(`Published the checkpoint of entries 1 to ${checkpoint.treeSize} (head ${checkpoint.headHash}) to ${checkpoints.where}.`);
    return 0;
  } finally {
    checkpoints.close();
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Could not publish the audit checkpoint: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
