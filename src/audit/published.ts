/**
 * The published checkpoints themselves: where they are kept and how they are read back. Apart from
 * ./publish.ts so that `audit:verify` reads them without loading what writes them.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSignedCheckpoint, type SignedCheckpoint } from './checkpoint';

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
  for (const name of names) {
    const checkpoint = parseSignedCheckpoint(await store.read(name));
    // The name is what anchoring reads (size and time): one that disagrees with the signed content
    // is not the file that was published under it.
    published.push({ name, checkpoint: checkpoint && checkpointFileName(checkpoint) === name ? checkpoint : null });
  }
  return published;
}

/** How far ahead of this server's clock a published time may be and still count (another instance's clock). */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The size and time of the latest published checkpoint, read from the file names alone. A time
 * ahead of `now` (a clock that ran fast) is left out: taken as the latest, it would stop anchoring
 * until that date.
 */
export async function latestPublished(store: CheckpointStore, now: Date = new Date()): Promise<{ treeSize: number; at: Date } | null> {
  let latest: { treeSize: number; at: Date } | null = null;
  for (const name of await store.names()) {
    const m = NAME.exec(name);
    if (!m?.[1] || !m[2]) continue;
    const t = m[2];
    const at = new Date(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}.${t.slice(15, 18)}Z`);
    if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + CLOCK_SKEW_MS) continue;
    if (!latest || at > latest.at) latest = { treeSize: Number(m[1]), at };
  }
  return latest;
}
