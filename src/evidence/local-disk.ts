/**
 * Evidence on local disk: the embedded default. Files are written under a server-made path,
 * hashed in the same pass, and renamed into place only when complete so a crash leaves no
 * half file where a whole one is expected.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../domain/errors';
import type { EvidencePutInput, EvidenceStore, StoredEvidence } from '../app/ports';

/** Keeps path segments to a safe alphabet: nothing a user typed can climb out of the folder. */
export function safeSegment(value: string): string {
  const cleaned = value.normalize('NFKC').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 80);
  return cleaned || 'item';
}

export function hashingStream(): { stream: Transform; digest: () => { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), size }) };
}

/**
 * Removes the `.partial` files uploads were writing when the process died (kill -9, a power cut):
 * nothing points at them and nothing else would ever delete them. Run at start-up, before uploads
 * are accepted; evidence lies two folders deep (case, then request). Returns how many went.
 */
export async function removeUnfinishedEvidence(root: string): Promise<number> {
  let removed = 0;
  const entries = async (dir: string) => readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  for (const caseDir of await entries(root)) {
    if (!caseDir.isDirectory()) continue;
    for (const requestDir of await entries(path.join(root, caseDir.name))) {
      if (!requestDir.isDirectory()) continue;
      const folder = path.join(root, caseDir.name, requestDir.name);
      for (const file of await entries(folder)) {
        if (!file.isFile() || !file.name.endsWith('.partial')) continue;
        await rm(path.join(folder, file.name), { force: true });
        removed += 1;
      }
    }
  }
  return removed;
}

export class LocalDiskEvidenceStore implements EvidenceStore {
  constructor(private readonly root: string) {}

  async put(input: EvidencePutInput): Promise<StoredEvidence> {
    const folder = path.join(safeSegment(input.caseReference), safeSegment(input.requestReference));
    const key = path.posix.join(folder.split(path.sep).join('/'), `${randomUUID()}-${safeSegment(input.fileName)}`);
    const target = this.resolve(key);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    const { stream, digest } = hashingStream();
    try {
      await pipeline(input.content, stream, createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const { sha256, size } = digest();
    return { storageKey: key, sha256, size, webUrl: null, status: 'stored' };
  }

  async get(storageKey: string): Promise<Readable> {
    const file = this.resolve(storageKey);
    try {
      await stat(file);
    } catch {
      throw new AppError('not_found', 'The evidence file is missing from the store.');
    }
    return createReadStream(file);
  }

  async remove(storageKey: string): Promise<void> {
    await rm(this.resolve(storageKey), { force: true });
  }

  private resolve(storageKey: string): string {
    const root = path.resolve(this.root);
    const file = path.resolve(root, storageKey);
    if (!file.startsWith(root + path.sep)) throw new AppError('not_found', 'No such evidence item.');
    return file;
  }
}
