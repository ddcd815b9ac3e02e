/**
 * The local holding area: every file is spooled here (hashed in the same pass) before it goes
 * to SharePoint, and stays until SharePoint has confirmed it, so a failure never loses evidence.
 * Each item is a `.bin` file with a `.json` record beside it; both are written atomically.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EvidencePutInput } from '../../app/ports';
import { AppError } from '../../domain/errors';

/** How far a spool has written, for an upload that follows it. */
export class SpoolProgress {
  private written = 0;
  private ended = false;
  private failure: unknown = null;
  private waiters: { bytes: number; resolve: () => void; reject: (error: unknown) => void }[] = [];

  advance(bytes: number): void {
    this.written = bytes;
    this.settle();
  }

  finish(): void {
    this.ended = true;
    this.settle();
  }

  fail(error: unknown): void {
    this.failure = error;
    this.settle();
  }

  /** Resolves once `bytes` bytes are on disk; rejects if the spool fails or ends short. */
  until(bytes: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ bytes, resolve, reject });
      this.settle();
    });
  }

  private settle(): void {
    this.waiters = this.waiters.filter((w) => {
      // A failed spool deletes its file, so even bytes already written can no longer be read.
      if (this.failure !== null) w.reject(this.failure);
      else if (this.written >= w.bytes) w.resolve();
      else if (this.ended) w.reject(sizeMismatch());
      else return true;
      return false;
    });
  }
}

function sizeMismatch(): AppError {
  return new AppError('validation', 'The file is not the size that was declared for it.', { file: 'The upload was incomplete or not the declared size: try again.' });
}

export interface PendingRecord {
  key: string;
  requestId: string;
  requestReference: string;
  caseReference: string;
  /** The library path the file goes to: `{case}/{request}/{name}`, already made safe. */
  drivePath: string;
  contentType: string;
  /** Null for the record documents (.docx), which carry only the request's references. */
  metadata: EvidencePutInput['metadata'] | null;
  size: number;
  sha256: string;
  createdAt: string;
  /** Set once SharePoint holds the bytes, so a retry only finishes the metadata. */
  driveItemId: string | null;
  webUrl: string | null;
  attempts: number;
  lastError: string | null;
}

export class PendingDir {
  constructor(readonly dir: string) {}

  contentPath(key: string): string {
    return path.join(this.dir, `${checkedKey(key)}.bin`);
  }

  private recordPath(key: string): string {
    return path.join(this.dir, `${checkedKey(key)}.json`);
  }

  /**
   * Writes the content to disk, hashing it on the way; removes what was written if it fails.
   * With `progress`, readers are told how far the file has got, so an upload can follow the
   * writing instead of waiting for the end. With `expectedSize`, more bytes than declared fail
   * at once and fewer fail at the end.
   */
  async spool(
    content: Readable,
    options: { key?: string; expectedSize?: number; progress?: SpoolProgress } = {},
  ): Promise<{ key: string; size: number; sha256: string }> {
    await mkdir(this.dir, { recursive: true });
    const key = options.key ?? randomUUID();
    const file = this.contentPath(key);
    const handle = await open(file, 'wx');
    const hash = createHash('sha256');
    let size = 0;
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    const sink = new Writable({
      // Lets the sender run ahead of the disk by a few chunks, so hashing and writing overlap.
      highWaterMark: 4 * 1024 * 1024,
      write(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (options.expectedSize !== undefined && size > options.expectedSize) return done(sizeMismatch());
        hash.update(chunk);
        handle.write(chunk).then(() => {
          options.progress?.advance(size);
          done();
        }, done);
      },
      final(done) {
        close().then(() => done(), done);
      },
    });
    try {
      await pipeline(content, sink);
      if (options.expectedSize !== undefined && size !== options.expectedSize) throw sizeMismatch();
    } catch (error) {
      options.progress?.fail(error);
      await close().catch(() => undefined);
      await rm(file, { force: true });
      throw error;
    }
    options.progress?.finish();
    return { key, size, sha256: hash.digest('hex') };
  }

  async save(record: PendingRecord): Promise<void> {
    const target = this.recordPath(record.key);
    await writeFile(`${target}.tmp`, JSON.stringify(record, null, 2));
    await rename(`${target}.tmp`, target);
  }

  async load(key: string): Promise<PendingRecord | null> {
    try {
      return JSON.parse(await readFile(this.recordPath(key), 'utf8')) as PendingRecord;
    } catch {
      return null;
    }
  }

  async list(): Promise<PendingRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const records: PendingRecord[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const record = await this.load(name.slice(0, -'.json'.length));
      if (record) records.push(record);
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  read(key: string): Readable {
    return createReadStream(this.contentPath(key));
  }

  /** Forces the file and its record to disk: done when an item is left pending, as it is then the only copy. */
  async sync(key: string): Promise<void> {
    for (const file of [this.contentPath(key), this.recordPath(key)]) {
      const handle = await open(file, 'r');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    }
  }

  /** Removes the record first: a crash in between leaves a stray file, never a record without its file. */
  async remove(key: string): Promise<void> {
    await rm(this.recordPath(key), { force: true });
    await rm(this.contentPath(key), { force: true });
  }
}

/** Keys are UUIDs we made; anything else is refused before it reaches a path. */
function checkedKey(key: string): string {
  if (!/^[0-9a-f-]{36}$/.test(key)) throw new AppError('not_found', 'No such pending evidence item.');
  return key;
}
