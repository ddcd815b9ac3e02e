/**
 * Anchoring: the chain's checkpoint, signed, written outside the database — a local folder in
 * local mode, the evidence site in SharePoint otherwise — at least daily and on demand. Each is a
 * small JSON file of its own, never replaced, so the folder is the chain's published history and
 * `audit:verify` checks the database against every one.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { CheckpointSigner, SignedCheckpoint } from './checkpoint';
import { chainHead, writeCheckpoint } from './log';
import { checkpointFileName, latestPublished, type CheckpointStore } from './published';
import { linkPending } from './sequencer';

export {
  checkpointFileName,
  folderCheckpointStore,
  latestPublished,
  readPublished,
  type CheckpointStore,
  type PublishedCheckpoint,
} from './published';

/**
 * Links what has committed, signs the head and publishes it, then records it in the database too.
 * Returns the checkpoint, or null while the chain is empty.
 */
export async function anchorCheckpoint(
  db: Kysely<Database>,
  signer: CheckpointSigner,
  store: CheckpointStore,
  now: Date = new Date(),
): Promise<SignedCheckpoint | null> {
  // Signed like every checkpoint linking writes: one written unsigned here would stand (the signed
  // one for the same head is not written over) and a verifier with keys refuses it.
  await linkPending(db, { signer });
  const head = await chainHead(db);
  if (!head) return null;
  const checkpoint = signer.sign({ treeSize: head.seq, headHash: head.hash, timestamp: now.toISOString() });
  await store.write(checkpointFileName(checkpoint), `${JSON.stringify(checkpoint, null, 2)}\n`);
  await writeCheckpoint(db, { at: now, signer });
  return checkpoint;
}

export const ANCHOR_MAX_AGE_MS = 24 * 3600_000;

/**
 * Anchors when the chain has grown since the latest published checkpoint and that one is older
 * than `maxAgeMs` (a day): the server calls this hourly, so no entry goes unanchored for more
 * than a day and an hour.
 */
export async function anchorIfDue(
  db: Kysely<Database>,
  signer: CheckpointSigner,
  store: CheckpointStore,
  now: Date = new Date(),
  maxAgeMs: number = ANCHOR_MAX_AGE_MS,
): Promise<SignedCheckpoint | null> {
  const latest = await latestPublished(store, now);
  if (latest && now.getTime() - latest.at.getTime() < maxAgeMs) return null;
  await linkPending(db, { signer });
  const head = await chainHead(db);
  if (!head || (latest && head.seq <= latest.treeSize)) return null;
  return anchorCheckpoint(db, signer, store, now);
}
