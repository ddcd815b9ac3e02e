/**
 * Anchoring: the chain's checkpoint, signed, written outside the database — a local folder in
 * local mode, the evidence site in SharePoint otherwise — at least daily and on demand. Each is a
 * small JSON file of its own, never replaced, so the folder is the chain's published history and
 * `audit:verify` checks the database against every one.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import { parseSignedCheckpoint, type CheckpointSigner, type SignedCheckpoint } from './checkpoint';
import { chainHead, writeCheckpoint } from './log';
import { linkPending } from './sequencer';

/** Somewhere outside the database that keeps small files. */
export interface CheckpointStore {
  /** Where it publishes, for messages. */
  readonly where: string;
  /** Writes a new file (names are unique: the tree size and the time). */
  write(name: string, text: string): Promise<void>;
  names(): Promise<string[]>;
  read(name: string): Promise<string>;
  close(): void;
}

export interface PublishedCheckpoint {
  name: string;
  /** Null when the file is not a checkpoint (damaged, or put there by someone else). */
  checkpoint: SignedCheckpoint | null;
}

const NAME = /^checkpoint-(\d{12})-(\d{8}T\d{9}Z)\.json$/;

/** `checkpoint-000000012345-20261130T101500123Z.json`: sorts by size, then time. */
export function checkpointFileName(checkpoint: Pick<SignedCheckpoint, 'treeSize' | 'timestamp'>): string {
  const time = new Date(checkpoint.timestamp).toISOString().replace(/[-:.]/g, '');
  return `checkpoint-${String(checkpoint.treeSize).padStart(12, '0')}-${time}.json`;
}

/** A folder on this machine (local mode: AUDIT_CHECKPOINT_DIR, default DATA_DIR/checkpoints). */
export function folderCheckpointStore(dir: string): CheckpointStore {
  return {
    where: dir,
    async write(name, text) {
      await mkdir(dir, { recursive: true });
      const partial = path.join(dir, `.${name}.partial`);
      await writeFile(partial, text, { flag: 'wx' });
      await rename(partial, path.join(dir, name));
    },
    async names() {
      try {
        return (await readdir(dir)).filter((name) => name.endsWith('.json'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    read: (name) => readFile(path.join(dir, name), 'utf8'),
    close: () => undefined,
  };
}

export async function readPublished(store: CheckpointStore): Promise<PublishedCheckpoint[]> {
  const names = (await store.names()).sort();
  const published: PublishedCheckpoint[] = [];
  for (const name of names) published.push({ name, checkpoint: parseSignedCheckpoint(await store.read(name)) });
  return published;
}

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
  await linkPending(db);
  const head = await chainHead(db);
  if (!head) return null;
  const checkpoint = signer.sign({ treeSize: head.seq, headHash: head.hash, timestamp: now.toISOString() });
  await store.write(checkpointFileName(checkpoint), `${JSON.stringify(checkpoint, null, 2)}\n`);
  await writeCheckpoint(db, { at: now, signer });
  return checkpoint;
}

/** The size and time of the latest published checkpoint, read from the file names alone. */
export async function latestPublished(store: CheckpointStore): Promise<{ treeSize: number; at: Date } | null> {
  let latest: { treeSize: number; at: Date } | null = null;
  for (const name of await store.names()) {
    const m = NAME.exec(name);
    if (!m?.[1] || !m[2]) continue;
    const t = m[2];
    const at = new Date(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}.${t.slice(15, 18)}Z`);
    if (!latest || at > latest.at) latest = { treeSize: Number(m[1]), at };
  }
  return latest;
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
  const latest = await latestPublished(store);
  if (latest && now.getTime() - latest.at.getTime() < maxAgeMs) return null;
  await linkPending(db);
  const head = await chainHead(db);
  if (!head || (latest && head.seq <= latest.treeSize)) return null;
  return anchorCheckpoint(db, signer, store, now);
}
