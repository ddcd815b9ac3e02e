/**
 * `npm run evidence:verify`: re-reads every stored evidence item through the configured evidence
 * store (local disk or SharePoint, as the server is configured) and checks its SHA-256 against the
 * database. Exits 0 when every item matches, 1 when any differs or cannot be read, 2 when the check
 * cannot run. On PGlite, stop the app first: only one process may open the data directory.
 */
import { createEvidenceStore } from '../src/evidence';
import { reportEvidenceIntegrity } from '../src/evidence/verify';
import { createStore } from '../src/store';

async function main(): Promise<number> {
  const store = await createStore({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || './data' });
  const evidence = createEvidenceStore();
  try {
    const items = await store.read.evidence.listAll();
    console.log(`Checking ${items.length} evidence item(s) in the ${evidence.kind === 'sharepoint' ? 'SharePoint library' : 'local evidence folder'}…`);
    return await reportEvidenceIntegrity(items, evidence, (line) => console.log(line));
  } finally {
    evidence.close();
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Could not verify the evidence: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
