/**
 * The evidence store the server uses, chosen by configuration: local disk by default,
 * the restricted SharePoint library when EVIDENCE_STORE=sharepoint.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EvidencePutInput, EvidenceStore, StoredEvidence } from '../app/ports';
import { evidenceConfigFromEnv, type EvidenceStoreConfig } from './config';
import type { RecordDocumentPutInput } from './documents';
import { hashingStream, LocalDiskEvidenceStore, safeSegment } from './local-disk';
import type { AppCredentials, TokenProvider } from '../graph';
import { resolveSharePointConfig, SharePointEvidenceStore, type FolderReader, type PendingUploadOutcome, type RecordStored } from './sharepoint';
import type { PendingQueue, PendingRecord } from './sharepoint/pending';

export interface ConfiguredEvidenceStore extends EvidenceStore {
  readonly kind: EvidenceStoreConfig['kind'];
  /**
   * `expectedSize`, when the client declared the file's size, lets SharePoint uploads start before
   * the whole file is on disk, and a file of another size is then refused (validation). Local disk
   * ignores it.
   */
  put(input: EvidencePutInput, options?: { expectedSize?: number }): Promise<StoredEvidence>;
  /** The upload size limit to pass to checkedUpload. */
  readonly maxBytes: number;
  /** Files a generated .docx (request or log) beside the request's evidence; `get` reads it back. */
  putRecordDocument(input: RecordDocumentPutInput): Promise<StoredEvidence>;
  /**
   * Gives the request's originating social worker and team manager read access to its folder in
   * SharePoint. Local disk has no per-folder access of its own: files there are reached only
   * through the server, which checks each reader, so there it does nothing.
   */
  grantRequestFolder(caseReference: string, requestReference: string, readers: FolderReader[]): Promise<void>;
  /**
   * Retries uploads left pending (SharePoint only; local disk never leaves any). `recordStored`
   * must point the evidence row at the new storage key; the local copy goes only after it succeeds.
   */
  retryPendingUploads(recordStored: RecordStored): Promise<PendingUploadOutcome[]>;
  /** The oldest `limit` items waiting for SharePoint, pending or failed (for administrators). */
  pendingUploads(limit: number): Promise<PendingRecord[]>;
  /** Makes a pending or failed item due again at once; false when there is no such item. */
  releasePendingUpload(storageKey: string): Promise<boolean>;
  close(): void;
}

export interface EvidenceStoreOptions {
  /** Where SharePoint items wait between attempts: the database on a server, so every instance can retry them. */
  pendingQueue?: PendingQueue;
  /** The process's shared Graph sign-in (src/graph); by default the SharePoint store signs in on its own. */
  signIn?: (credentials: AppCredentials) => TokenProvider;
}

export function createEvidenceStore(config: EvidenceStoreConfig = evidenceConfigFromEnv(), options: EvidenceStoreOptions = {}): ConfiguredEvidenceStore {
  if (config.kind === 'sharepoint') {
    const store = new SharePointEvidenceStore(config.sharepoint, {
      ...(options.pendingQueue ? { pendingQueue: options.pendingQueue } : {}),
      ...(options.signIn ? { tokenProvider: options.signIn(resolveSharePointConfig(config.sharepoint)) } : {}),
    });
    return {
      kind: 'sharepoint',
      maxBytes: config.maxBytes,
      put: (input, options) => store.put(input, options),
      get: (storageKey) => store.get(storageKey),
      remove: (storageKey) => store.remove(storageKey),
      putRecordDocument: (input) => store.putRecordDocument(input),
      grantRequestFolder: (caseReference, requestReference, readers) => store.grantRequestFolder(caseReference, requestReference, readers),
      retryPendingUploads: (recordStored) => store.retryPendingUploads(recordStored),
      pendingUploads: (limit) => store.pendingUploads(limit),
      releasePendingUpload: (storageKey) => store.releasePendingUpload(storageKey),
      close: () => store.close(),
    };
  }
  const store = new LocalDiskEvidenceStore(config.dir);
  return {
    kind: 'local',
    maxBytes: config.maxBytes,
    put: (input) => store.put(input),
    get: (storageKey) => store.get(storageKey),
    remove: (storageKey) => store.remove(storageKey),
    putRecordDocument: (input) => putLocalRecordDocument(config.dir, input),
    grantRequestFolder: async () => undefined,
    retryPendingUploads: async () => [],
    pendingUploads: async () => [],
    releasePendingUpload: async () => false,
    close: () => undefined,
  };
}

/**
 * Writes a record document where the local disk store keeps the request's evidence, under its
 * own (server-made) name so a regenerated document replaces the earlier one.
 */
async function putLocalRecordDocument(root: string, input: RecordDocumentPutInput): Promise<StoredEvidence> {
  const storageKey = [safeSegment(input.caseReference), safeSegment(input.requestReference), safeSegment(input.fileName)].join('/');
  const target = path.join(root, ...storageKey.split('/'));
  await mkdir(path.dirname(target), { recursive: true });
  const { stream, digest } = hashingStream();
  try {
    await pipeline(Readable.from([input.content]), stream, createWriteStream(`${target}.partial`));
    await rename(`${target}.partial`, target);
  } catch (error) {
    await rm(`${target}.partial`, { force: true });
    throw error;
  }
  return { storageKey, ...digest(), webUrl: null, status: 'stored' };
}

export { evidenceConfigFromEnv, certificateFromPem, type EvidenceStoreConfig } from './config';
export { checkedUpload, DEFAULT_MAX_EVIDENCE_BYTES, type CheckedUpload } from './checked-upload';
export type { RecordDocument, RecordDocumentPutInput, RecordDocumentsInput } from './documents';
export { SharePointEvidenceStore, type FolderReader, type PendingUploadOutcome, type RecordStored, type SharePointStoreConfig } from './sharepoint';
