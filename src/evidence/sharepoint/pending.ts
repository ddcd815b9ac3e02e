/**
 * Evidence on its way to SharePoint. Every file is first spooled to the instance's local disk
 * (hashed in the same pass) and uploaded from there. A file SharePoint has not confirmed is then
 * held by a `PendingQueue` until a retry delivers it: in PostgreSQL when the server runs (so any
 * instance can retry it), or in a directory for a single process without a database.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

export type PendingStatus = 'pending' | 'failed';

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
  /** 'failed' after a refusal retrying cannot change: left for an administrator, never retried by itself. */
  status: PendingStatus;
  /** No retry before this time (ISO 8601): SharePoint's Retry-After, however long. */
  notBefore: string;
}

/** Where items wait for SharePoint between attempts. Every method is safe across instances. */
export interface PendingQueue {
  /** Takes charge of an item after its first attempt failed; the bytes are read from `file`. */
  hold(record: PendingRecord, file: string): Promise<void>;
  /** Saves what an attempt learnt (the drive item, attempts, last error, status, not-before time). */
  update(record: PendingRecord): Promise<void>;
  /**
   * Claims up to `limit` pending items whose not-before time has come, hiding them from every
   * other claimer for `leaseMs` (the lease ends by itself if the claimer dies).
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<PendingRecord[]>;
  load(key: string): Promise<PendingRecord | null>;
  /** Up to `limit` items, pending or failed, oldest first. */
  list(limit: number): Promise<PendingRecord[]>;
  /** The held bytes. */
  read(key: string): Promise<Readable>;
  /** Writes the held bytes to `file`, for an upload. */
  copyTo(key: string, file: string): Promise<void>;
  /** Forgets an item SharePoint has confirmed. */
  remove(key: string): Promise<void>;
  /** Makes a failed (or waiting) item due at `now` again: an administrator's retry. False when there is no such item. */
  release(key: string, now: Date): Promise<boolean>;
}

/** The working area on this instance's disk: files being uploaded now. */
export class PendingDir {
  constructor(readonly dir: string) {}

  contentPath(key: string): string {
    return path.join(this.dir, `${checkedKey(key)}.bin`);
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

  read(key: string): Readable {
    return createReadStream(this.contentPath(key));
  }

  /** Deletes this instance's working copy. */
  async discard(key: string): Promise<void> {
    await rm(this.contentPath(key), { force: true });
  }
}

/**
 * A PendingQueue in a directory, for one process without a database (the evidence tools and the
 * store's own tests): each item is a `.held` file with a `.json` record beside it, both written
 * atomically and forced to disk, as they are then the only copy.
 */
export class DirectoryPendingQueue implements PendingQueue {
  /**
   * `onUnreadable` hears of a record that exists but cannot be read (a torn or edited file): it is
   * skipped, and its evidence waits until someone repairs it. Default: a line on standard error.
   */
  constructor(
    readonly dir: string,
    private readonly onUnreadable: (key: string, error: unknown) => void = (key, error) =>
      console.error(`Pending evidence record ${key} is unreadable and was skipped: ${error instanceof Error ? error.message : String(error)}`),
  ) {}

  private heldPath(key: string): string {
    return path.join(this.dir, `${checkedKey(key)}.held`);
  }

  private recordPath(key: string): string {
    return path.join(this.dir, `${checkedKey(key)}.json`);
  }

  async hold(record: PendingRecord, file: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await copyFile(file, `${this.heldPath(record.key)}.tmp`);
    await rename(`${this.heldPath(record.key)}.tmp`, this.heldPath(record.key));
    await this.update(record);
    for (const held of [this.heldPath(record.key), this.recordPath(record.key)]) {
      const handle = await open(held, 'r');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    }
  }

  async update(record: PendingRecord): Promise<void> {
    const target = this.recordPath(record.key);
    await writeFile(`${target}.tmp`, JSON.stringify(record, null, 2));
    await rename(`${target}.tmp`, target);
  }

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<PendingRecord[]> {
    const due = (await this.all()).filter((r) => r.status === 'pending' && Date.parse(r.notBefore) <= now.getTime()).slice(0, limit);
    for (const record of due) await this.update({ ...record, notBefore: new Date(now.getTime() + leaseMs).toISOString() });
    return due;
  }

  async load(key: string): Promise<PendingRecord | null> {
    let text: string;
    try {
      text = await readFile(this.recordPath(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      this.onUnreadable(key, error);
      return null;
    }
    try {
      return JSON.parse(text) as PendingRecord;
    } catch (error) {
      this.onUnreadable(key, error);
      return null;
    }
  }

  async list(limit: number): Promise<PendingRecord[]> {
    return (await this.all()).slice(0, limit);
  }

  private async all(): Promise<PendingRecord[]> {
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

  async read(key: string): Promise<Readable> {
    return createReadStream(this.heldPath(key));
  }

  async copyTo(key: string, file: string): Promise<void> {
    await copyFile(this.heldPath(key), file);
  }

  /** Removes the record first: a crash in between leaves a stray file, never a record without its file. */
  async remove(key: string): Promise<void> {
    await rm(this.recordPath(key), { force: true });
    await rm(this.heldPath(key), { force: true });
  }

  async release(key: string, now: Date): Promise<boolean> {
    const record = await this.load(key);
    if (!record) return false;
    await this.update({ ...record, status: 'pending', notBefore: now.toISOString() });
    return true;
  }
}

/** Keys are UUIDs we made; anything else is refused before it reaches a path. */
export function checkedKey(key: string): string {
  if (!/^[0-9a-f-]{36}$/.test(key)) throw new AppError('not_found', 'No such pending evidence item.');
  return key;
}
