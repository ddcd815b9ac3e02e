/**
 * Evidence in the restricted SharePoint library. `put` spools the content to the pending
 * directory (hashing it in the same pass), uploads it, sets the library columns and the
 * retention label, and only then deletes the local copy. When SharePoint cannot be reached
 * within the retry bound the item is handed to the pending queue (PostgreSQL on a server) and
 * `retryPendingUploads`, on whichever instance claims it, finishes it. A refusal that retrying
 * cannot change marks the item failed, for an administrator.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { EvidencePutInput, EvidenceStore, StoredEvidence } from '../../app/ports';
import type { RecordDocumentPutInput } from '../documents';
import { AppError } from '../../domain/errors';
import { safeSegment } from '../local-disk';
import { createTokenProvider, type TokenProvider } from '../../graph/app-tokens';
import { EVIDENCE_COLUMNS } from './columns';
import { resolveSharePointConfig, type ResolvedSharePointConfig, type SharePointStoreConfig } from './config';
import { errorFromResponse, GraphApi, GraphHttpError, withRetry } from './graph';
import { DirectoryPendingQueue, PendingDir, SpoolProgress, type PendingQueue, type PendingRecord } from './pending';
import { uploadFile, type DriveItem } from './upload';

const SHAREPOINT_PREFIX = 'sharepoint:';
const PENDING_PREFIX = 'pending:';

/** A person to be given read access to a request's folder: by Entra object id, else by email. */
export interface FolderReader {
  aadObjectId?: string;
  email?: string;
}

/**
 * Called with the storage key `put` returned and where the item now is in SharePoint. Resolves
 * true when a row now points at the stored file (or already did), false when nothing waits for it.
 */
export type RecordStored = (pendingKey: string, stored: StoredEvidence) => Promise<boolean>;

/** What a retry run did for one pending item; `pendingKey` is the storage key `put` returned. */
export interface PendingUploadOutcome {
  pendingKey: string;
  result: StoredEvidence;
  lastError: string | null;
  /** True when SharePoint refused the item in a way retrying cannot change: it waits for an administrator. */
  failed: boolean;
  /** True when nothing pointed at the item any longer, so its copy in SharePoint was deleted. */
  discarded: boolean;
}

export interface SharePointStoreOptions {
  tokenProvider?: TokenProvider;
  /** Where unconfirmed items wait; by default a directory beside the spool (one process only). */
  pendingQueue?: PendingQueue;
}

/** How long a claimed item is hidden from other instances: longer than any upload takes. */
const CLAIM_LEASE_MS = 30 * 60_000;
/**
 * How long after it was queued an uploaded item nothing points at is kept before it is deleted:
 * the use case that put it may still be committing its row — record documents commit only once
 * every document of the filing has had its own tries (each call up to `maxAttempts` waits of up to
 * two minutes). Items removed from the queue (their use case failed, or their request was disposed
 * of) go at once.
 */
export const UNCLAIMED_GRACE_MS = 2 * 60 * 60_000;

export class SharePointEvidenceStore implements EvidenceStore {
  readonly config: ResolvedSharePointConfig;
  private readonly api: GraphApi;
  private readonly spool: PendingDir;
  private readonly queue: PendingQueue;
  /** Items an upload is working on in this process, so the retry job leaves them alone. */
  private readonly inFlight = new Set<string>();

  constructor(config: SharePointStoreConfig, options: SharePointStoreOptions = {}) {
    this.config = resolveSharePointConfig(config);
    const policy = { maxAttempts: this.config.maxAttempts, baseDelayMs: this.config.retryBaseDelayMs, maxDelayMs: this.config.maxRetryDelayMs };
    this.api = new GraphApi(this.config.graphBaseUrl, options.tokenProvider ?? createTokenProvider(this.config), policy, this.config.caCertificate, this.config.userAgent);
    this.spool = new PendingDir(this.config.pendingDir);
    this.queue = options.pendingQueue ?? new DirectoryPendingQueue(this.config.pendingDir);
  }

  /**
   * With `expectedSize` (the size the client declared), the upload session starts at once and
   * each range follows the spool to disk, instead of waiting for the whole file: Graph needs the
   * total size in every range, so this is only possible when it is known in advance. A file that
   * turns out to be another size is refused (AppError 'validation') and nothing is kept.
   */
  async put(input: EvidencePutInput, options: { expectedSize?: number } = {}): Promise<StoredEvidence> {
    if (options.expectedSize !== undefined) return this.storeFollowing(input, options.expectedSize);
    return this.store(input, input.metadata);
  }

  /** Files a generated document (the request or the log) in the request's folder. */
  async putRecordDocument(input: RecordDocumentPutInput): Promise<StoredEvidence> {
    return this.store({ ...input, content: Readable.from([input.content]) }, null);
  }

  private async store(input: Omit<EvidencePutInput, 'metadata'>, metadata: EvidencePutInput['metadata'] | null): Promise<StoredEvidence> {
    const drivePath = drivePathFor(input);
    // Nothing reaches SharePoint until the whole file is on disk: a refused or broken stream stores nothing.
    const spooled = await this.spool.spool(input.content);
    const record = this.newRecord(spooled.key, input, metadata, drivePath, spooled);
    return (await this.attempt(record, { held: false })).result;
  }

  private async storeFollowing(input: EvidencePutInput, expectedSize: number): Promise<StoredEvidence> {
    const drivePath = drivePathFor(input);
    if (!Number.isSafeInteger(expectedSize) || expectedSize <= 0) {
      throw new AppError('validation', 'The declared file size is not a positive whole number.', { size: 'Send the size of the file in bytes.' });
    }
    const key = randomUUID();
    const progress = new SpoolProgress();
    this.inFlight.add(key);
    try {
      const upload = uploadFile(
        this.api,
        { driveId: this.config.driveId, drivePath, file: this.spool.contentPath(key), size: expectedSize, contentType: input.contentType, available: (n) => progress.until(n) },
        { chunkSize: this.config.chunkSize, simpleUploadLimit: this.config.simpleUploadLimit },
      );
      // Its failure is handled after the spool; this only keeps it from being reported as unhandled meanwhile.
      upload.catch(() => undefined);
      let spooled: { size: number; sha256: string };
      try {
        spooled = await this.spool.spool(input.content, { key, expectedSize, progress });
      } catch (error) {
        await upload.catch(() => undefined);
        throw error;
      }
      const record = this.newRecord(key, input, input.metadata, drivePath, spooled);
      return (await this.attempt(record, { held: false, upload })).result;
    } finally {
      this.inFlight.delete(key);
    }
  }

  async get(storageKey: string): Promise<Readable> {
    if (storageKey.startsWith(PENDING_PREFIX)) {
      const key = storageKey.slice(PENDING_PREFIX.length);
      const record = await this.queue.load(key);
      if (!record) throw new AppError('not_found', 'The pending evidence file is not on this server.');
      return this.queue.read(key);
    }
    if (!storageKey.startsWith(SHAREPOINT_PREFIX)) throw new AppError('not_found', 'No such evidence item.');
    const itemId = storageKey.slice(SHAREPOINT_PREFIX.length);
    if (!/^[A-Za-z0-9!_-]+$/.test(itemId)) throw new AppError('not_found', 'No such evidence item.');
    return this.download(itemId);
  }

  /**
   * Removes a file for good on disposal: an item waiting for SharePoint leaves the queue; a stored
   * one is deleted with permanentDelete ("they're permanently removed and aren't sent to the
   * recycle bin"), not DELETE, which only moves it to the site's recycle bin. Already gone is fine.
   */
  async remove(storageKey: string): Promise<void> {
    if (storageKey.startsWith(PENDING_PREFIX)) {
      const key = checkedPendingKey(storageKey.slice(PENDING_PREFIX.length));
      const record = await this.queue.load(key);
      await this.queue.remove(key);
      // A retry may already have put the bytes in SharePoint; an upload still under way deletes its own copy when it finds the item gone.
      if (record?.driveItemId) await this.deleteItem(record.driveItemId);
      return;
    }
    if (!storageKey.startsWith(SHAREPOINT_PREFIX)) return;
    const itemId = storageKey.slice(SHAREPOINT_PREFIX.length);
    if (!/^[A-Za-z0-9!_-]+$/.test(itemId)) return;
    await this.deleteItem(itemId);
  }

  private async deleteItem(itemId: string): Promise<void> {
    try {
      await this.api.call('POST', `/drives/${encodeURIComponent(this.config.driveId)}/items/${encodeURIComponent(itemId)}/permanentDelete`);
    } catch (error) {
      if (error instanceof GraphHttpError && error.status === 404) return;
      if (error instanceof GraphHttpError) throw new AppError('unavailable', `SharePoint could not delete the file: ${error.message}`);
      throw error;
    }
  }

  /**
   * Tries again every pending item that is due (oldest first), each claimed so that no other
   * instance tries it at the same time; failed items and items SharePoint asked us to leave
   * (Retry-After) wait. For each item SharePoint confirms, `recordStored` is called (to point the
   * evidence row at its new storage key) before the held copy is deleted; if it throws, the copy
   * stays and the next run calls it again, so no crash in between can leave a row pointing at a
   * file that is gone.
   */
  async retryPendingUploads(recordStored: RecordStored, now: Date = new Date()): Promise<PendingUploadOutcome[]> {
    const outcomes: PendingUploadOutcome[] = [];
    for (;;) {
      const batch = (await this.queue.claimDue(now, 10, CLAIM_LEASE_MS)).filter((r) => !this.inFlight.has(r.key));
      for (const record of batch) outcomes.push(await this.attempt(record, { held: true, recordStored, now }));
      if (batch.length < 10) return outcomes;
    }
  }

  /** Makes a failed item due again at once (an administrator's retry); false when there is no such item. */
  async releasePendingUpload(storageKey: string, now: Date = new Date()): Promise<boolean> {
    if (!storageKey.startsWith(PENDING_PREFIX)) return false;
    return this.queue.release(checkedPendingKey(storageKey.slice(PENDING_PREFIX.length)), now);
  }

  /**
   * Lets the request's originating social worker and team manager read its folder (DESIGN.md §4)
   * with a sharing invitation: SharePoint gives the folder its own permissions, keeping what it
   * inherits from the library (service directors, service managers, access workers). Asking again
   * is harmless. The folder exists once the request's first evidence is stored.
   */
  async grantRequestFolder(caseReference: string, requestReference: string, readers: FolderReader[]): Promise<void> {
    const recipients = readers.map((r) => (r.aadObjectId ? { objectId: r.aadObjectId } : { email: r.email ?? '' })).filter((r) => 'objectId' in r || r.email);
    if (!recipients.length) return;
    const folder = [folderName(caseReference), folderName(requestReference)].map(encodeURIComponent).join('/');
    try {
      await this.api.call('POST', `/drives/${encodeURIComponent(this.config.driveId)}/root:/${folder}:/invite`, {
        requireSignIn: true,
        sendInvitation: false,
        retainInheritedPermissions: true,
        roles: ['read'],
        recipients,
      });
    } catch (error) {
      if (error instanceof GraphHttpError && error.status === 404) throw new AppError('not_found', 'The request has no folder in SharePoint yet.');
      throw error;
    }
  }

  /** The oldest `limit` items still waiting for SharePoint, for monitoring. */
  async pendingUploads(limit: number): Promise<PendingRecord[]> {
    return this.queue.list(limit);
  }

  close(): void {
    this.api.close();
  }

  private newRecord(
    key: string,
    input: Omit<EvidencePutInput, 'metadata' | 'content'>,
    metadata: EvidencePutInput['metadata'] | null,
    drivePath: string,
    spooled: { size: number; sha256: string },
  ): PendingRecord {
    return {
      key,
      requestId: input.requestId,
      requestReference: input.requestReference,
      caseReference: input.caseReference,
      drivePath,
      contentType: input.contentType,
      metadata,
      size: spooled.size,
      sha256: spooled.sha256,
      createdAt: new Date().toISOString(),
      driveItemId: null,
      webUrl: null,
      attempts: 0,
      lastError: null,
      status: 'pending',
      notBefore: new Date().toISOString(),
    };
  }

  /**
   * One try at delivering an item. `held` says whether the queue already has it (a retry) or it
   * exists only in this instance's spool (the first try, with `upload` already under way for it).
   */
  private async attempt(record: PendingRecord, how: { held: boolean; upload?: Promise<DriveItem>; recordStored?: RecordStored; now?: Date }): Promise<PendingUploadOutcome> {
    const pendingKey = `${PENDING_PREFIX}${record.key}`;
    const file = this.spool.contentPath(record.key);
    this.inFlight.add(record.key);
    try {
      try {
        if (how.held && !record.driveItemId) await this.queue.copyTo(record.key, file);
        const result = await this.deliver(record, file, how.held, how.upload);
        if (how.recordStored && !(await how.recordStored(pendingKey, result))) {
          if (await this.mayYetBeClaimed(record, how.now ?? new Date())) throw new Error('Nothing points at this upload yet; it is tried again later.');
          // No row accounts for it: a copy left in the library would be personal data nobody can find or dispose of.
          if (record.driveItemId) await this.deleteItem(record.driveItemId);
          await this.queue.remove(record.key);
          return { pendingKey, result, lastError: null, failed: false, discarded: true };
        }
        if (how.held) await this.queue.remove(record.key);
        return { pendingKey, result, lastError: null, failed: false, discarded: false };
      } catch (error) {
        // Whatever went wrong, the queue keeps the item (and its bytes) for the next try.
        record.attempts += 1;
        record.lastError = error instanceof Error ? error.message : String(error);
        const graphError = error instanceof GraphHttpError ? error : null;
        if (graphError?.permanent) record.status = 'failed';
        // SharePoint's Retry-After is honoured however long it is; otherwise the next sweep may try.
        record.notBefore = new Date(Date.now() + (graphError?.retryAfterMs ?? 0)).toISOString();
        if (how.held) await this.queue.update(record);
        else {
          // Its time in the queue, and so the grace before an item nothing points at is deleted,
          // starts now: the first try may itself have taken many minutes of retries.
          record.createdAt = new Date().toISOString();
          await this.queue.hold(record, file);
        }
        const result: StoredEvidence = { storageKey: pendingKey, size: record.size, sha256: record.sha256, webUrl: null, status: 'upload_pending' };
        return { pendingKey, result, lastError: record.lastError, failed: record.status === 'failed', discarded: false };
      }
    } finally {
      this.inFlight.delete(record.key);
      await this.spool.discard(record.key);
    }
  }

  /** Still queued, and queued recently enough that the row pointing at it may not have committed yet. */
  private async mayYetBeClaimed(record: PendingRecord, now: Date): Promise<boolean> {
    if (now.getTime() - Date.parse(record.createdAt) >= UNCLAIMED_GRACE_MS) return false;
    return (await this.queue.load(record.key)) !== null;
  }

  private async deliver(record: PendingRecord, file: string, held: boolean, upload?: Promise<DriveItem>): Promise<StoredEvidence> {
    const driveId = encodeURIComponent(this.config.driveId);
    if (!record.driveItemId) {
      const item = await (upload ?? uploadFile(
        this.api,
        { driveId: this.config.driveId, drivePath: record.drivePath, file, size: record.size, contentType: record.contentType, mayExist: held },
        { chunkSize: this.config.chunkSize, simpleUploadLimit: this.config.simpleUploadLimit },
      ));
      if (item.size !== record.size) throw new GraphHttpError(0, 'size_mismatch', `SharePoint holds ${item.size} bytes, not ${record.size}.`, null);
      record.driveItemId = item.id;
      record.webUrl = item.webUrl;
      // Remembered at once: a later failure must not upload the bytes a second time.
      if (held) await this.queue.update(record);
    }
    await this.api.call('PATCH', `/drives/${driveId}/items/${encodeURIComponent(record.driveItemId)}/listItem/fields`, this.fields(record));
    if (this.config.retentionLabel) {
      await this.api.call('PATCH', `/drives/${driveId}/items/${encodeURIComponent(record.driveItemId)}/retentionLabel`, { name: this.config.retentionLabel });
    }
    return { storageKey: `${SHAREPOINT_PREFIX}${record.driveItemId}`, size: record.size, sha256: record.sha256, webUrl: record.webUrl, status: 'stored' };
  }

  private fields(record: PendingRecord): Record<string, string | boolean> {
    const c = EVIDENCE_COLUMNS;
    const references = {
      [c.requestReference.name]: record.requestReference,
      [c.caseReference.name]: record.caseReference,
      [c.sha256.name]: record.sha256,
    };
    const m = record.metadata;
    if (!m) return references;
    const retainUntil = new Date(m.capturedAt);
    retainUntil.setUTCFullYear(retainUntil.getUTCFullYear() + this.config.retentionYears);
    return {
      ...references,
      [c.subject.name]: m.subjectId,
      [c.sourceUrl.name]: m.sourceUrl,
      [c.capturedAt.name]: new Date(m.capturedAt).toISOString(),
      [c.capturedBy.name]: m.capturedBy,
      [c.publiclyVisible.name]: m.publiclyVisible,
      [c.retainUntil.name]: retainUntil.toISOString(),
    };
  }

  /** Graph answers the content request with a redirect to a pre-authenticated URL. */
  private async download(itemId: string): Promise<Readable> {
    const url = this.api.url(`/drives/${encodeURIComponent(this.config.driveId)}/items/${encodeURIComponent(itemId)}/content`);
    try {
      return await withRetry(this.api.policy, async () => {
        const first = await this.api.transport.open({ method: 'GET', url, headers: await this.api.authorisedHeaders() });
        if (first.statusCode === 200) return first;
        if (first.statusCode !== 302 || !first.headers.location) {
          const body = await collect(first);
          throw errorFromResponse({ status: first.statusCode ?? 0, headers: first.headers, body });
        }
        first.resume();
        const content = await this.api.transport.open({ method: 'GET', url: new URL(first.headers.location, url).toString() });
        if (content.statusCode === 200) return content;
        throw errorFromResponse({ status: content.statusCode ?? 0, headers: content.headers, body: await collect(content) });
      });
    } catch (error) {
      if (error instanceof GraphHttpError && error.status === 404) throw new AppError('not_found', 'The evidence file is no longer in SharePoint.');
      if (error instanceof GraphHttpError) throw new AppError('unavailable', `SharePoint could not return the evidence: ${error.message}`);
      throw error;
    }
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** `{case}/{request}/{name}`: the folder per case and request, every segment safe. */
function drivePathFor(input: Pick<EvidencePutInput, 'caseReference' | 'requestReference' | 'fileName'>): string {
  return [folderName(input.caseReference), folderName(input.requestReference), checkedFileName(input.fileName)].join('/');
}

/** Device names, as a whole name or before its first dot (CON, CON.png). */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A safe segment SharePoint also accepts. It refuses folder names ending in a period, and "These
 * names aren't allowed for files or folders: .lock, CON, PRN, AUX, NUL, COM0 - COM9, LPT0 - LPT9,
 * _vti_, desktop.ini"; "_vti_ cannot appear anywhere"; "forms isn't supported when the folder is at
 * the root level for a library" (Restrictions and limitations in OneDrive and SharePoint). A case
 * reference is free text and its folder is at the root, so such a name gets an underscore after
 * its stem (CON → CON_, desktop.ini → desktop_.ini) rather than an upload SharePoint refuses for good.
 */
export function folderName(reference: string): string {
  const name = safeSegment(reference).replace(/\.+$/, '').replace(/_vti_/gi, '-vti-') || 'item';
  const dot = name.indexOf('.');
  const stem = dot < 0 ? name : name.slice(0, dot);
  const reserved = DEVICE_NAME.test(stem) || /^desktop\.ini$/i.test(name) || /^forms$/i.test(name);
  return reserved ? `${stem}_${name.slice(stem.length)}` : name;
}

/** The server makes file names; this refuses anything that could be read as a path. */
export function checkedFileName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) || name.includes('..')) {
    throw new AppError('validation', 'The evidence file name is not one the server makes.', { fileName: 'Use a server-made file name.' });
  }
  return name;
}

function checkedPendingKey(key: string): string {
  if (!/^[0-9a-f-]{36}$/.test(key)) throw new AppError('not_found', 'No such pending evidence item.');
  return key;
}
