/**
 * Evidence items: a copy of publicly visible information, kept with its source, capture time,
 * public-visibility attestation and SHA-256. Viewing it is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError, notFound } from '../../domain/errors';
import { assertSafeInput, evidenceMetadataSchema, parseForm } from '../../domain/forms';
import type { InvestigationRequest } from '../../domain/request';
import { assertSubjectInScope } from '../../domain/workflow';
import type { AppDeps } from '../deps';
import { throughGate, UUID, type RequestGate } from '../gate';
import type { Caller, EvidenceItem, UnitOfWork } from '../ports';
import { assertCaptureTimeAllowed, assertPilotPlatform } from '../../domain/protocol';
import { platformsInScope } from '../pilot/pilot-settings';
import { auditEvent } from './shared';

export interface EvidenceFile {
  content: Readable;
  contentType: string;
  extension: string;
  /** Bytes in the file when known before it is stored. */
  size?: number;
}

function parseMetadata(input: unknown) {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new AppError('validation', 'The metadata part is not valid JSON.', { metadata: 'Send the metadata as JSON.' });
    }
  }
  // JSON inside a multipart part, which the edge's check of JSON bodies does not see: keys the
  // schema would drop are held to the character rule too.
  assertSafeInput(value, 'metadata');
  return parseForm(evidenceMetadataSchema, value, 'metadata');
}

/** What recording needs beyond the policy's `record-evidence`: a subject in scope, a capture time the protocol allows, and a session held. */
async function assertMayRecord(deps: AppDeps, uow: UnitOfWork, request: InvestigationRequest, metadata: { subjectId: string; capturedAt: string }): Promise<void> {
  assertSubjectInScope(request, metadata.subjectId, 'metadata.subjectId');
  assertCaptureTimeAllowed(request, metadata.capturedAt, deps.clock.now(), deps.settings.protocol);
  const sessions = await uow.searchSessions.listForRequest(request.id);
  if (sessions.length === 0) {
    throw new AppError('invalid_state', 'Start a timed search session before recording evidence.', { searchSession: 'No search session has been held.' });
  }
}

/** Checks everything about an upload before the file is stored, so a refusal stores nothing. */
export async function checkEvidenceUpload(deps: AppDeps, caller: Caller, requestId: string, metadataInput: unknown) {
  const metadata = parseMetadata(metadataInput);
  return throughGate(deps, caller, 'record-evidence', requestId, async (gate) => {
    assertPilotPlatform(metadata.sourceUrl, 'metadata.sourceUrl', await platformsInScope(deps));
    const { request } = await gate.load(deps.store.read);
    await assertMayRecord(deps, deps.store.read, request, metadata);
    if (metadata.correctsEvidenceId) {
      const corrected = UUID.test(metadata.correctsEvidenceId) ? await deps.store.read.evidence.get(metadata.correctsEvidenceId) : null;
      if (!corrected || corrected.requestId !== requestId) throw notFound('The item to correct is not part of this request.');
      if (!metadata.correctionReason) throw new AppError('validation', 'Some answers need attention.', { 'metadata.correctionReason': 'Say why the item is being corrected.' });
    }
    return { request, metadata };
  });
}

export async function addEvidence(deps: AppDeps, caller: Caller, requestId: string, metadataInput: unknown, file: EvidenceFile): Promise<EvidenceItem> {
  const { request, metadata } = await checkEvidenceUpload(deps, caller, requestId, metadataInput);
  const id = randomUUID();
  const stored = await deps.evidence.put({
    requestId,
    requestReference: request.reference,
    caseReference: request.form.caseReference,
    fileName: `${request.reference}-${id.slice(0, 8)}.${file.extension}`,
    contentType: file.contentType,
    content: file.content,
    metadata: { ...metadata, capturedBy: caller.person.id },
  }, file.size !== undefined ? { expectedSize: file.size } : {});
  const now = deps.clock.now();
  let committing = false;
  return throughGate(deps, caller, 'record-evidence', requestId, (gate) => deps.store.transaction(async (uow) => {
    // Checked again under the row lock: the request may have moved on while the file was stored.
    const { request: current, part } = await gate.load(uow, { lock: true });
    await assertMayRecord(deps, uow, current, metadata);
    const item: EvidenceItem = {
      id,
      requestId,
      subjectId: metadata.subjectId,
      fileName: `${request.reference}-${id.slice(0, 8)}.${file.extension}`,
      contentType: file.contentType,
      size: stored.size,
      sha256: stored.sha256,
      storageKey: stored.storageKey,
      webUrl: stored.webUrl,
      sourceUrl: metadata.sourceUrl,
      capturedAt: new Date(metadata.capturedAt).toISOString(),
      capturedBy: caller.person.id,
      description: metadata.description,
      publiclyVisible: metadata.publiclyVisible,
      correctsEvidenceId: metadata.correctsEvidenceId ?? null,
      correctionReason: metadata.correctionReason ?? null,
      uploadStatus: stored.status,
      createdAt: now.toISOString(),
    };
    await uow.evidence.insert(item);
    if ((await uow.evidence.listForRequest(requestId)).length === 1) {
      // From the first item on, the originating worker and team manager may read the request's folder
      // where the evidence is kept (SharePoint); done after commit, through the outbox, with retries.
      await uow.outbox.add([{ requestId, recipientId: null, kind: 'grant_folder_readers', payload: { reference: current.reference } }]);
    }
    await auditEvent(uow, caller, current, 'add_evidence', part, now, { evidenceId: id, sha256: stored.sha256, size: stored.size, subjectId: metadata.subjectId });
    committing = true;
    return item;
  })).catch(async (error: unknown) => {
    // Refused or failed before its commit, no row points at the file (nor, for an upload still
    // pending, at its queued copy): it goes too. A commit that failed may yet have been made, and a
    // row without its file is worse than a file without its row, so that file stays.
    // A failed removal is dropped: AppError carries no cause, and the caller needs the original error.
    if (!committing) await deps.evidence.remove(stored.storageKey).catch(() => undefined);
    throw error;
  });
}

/**
 * A background upload that SharePoint has now confirmed: the evidence item or record document
 * held under its pending key points at its new place. Called by the evidence store's retry job
 * before it removes the local copy. False when nothing points at either key — the upload's use
 * case failed or crashed before its commit, or its request was disposed of meanwhile — so that the
 * store deletes the copy rather than leave a file no row accounts for in the library.
 */
export async function recordPendingUploadStored(deps: AppDeps, pendingKey: string, stored: { storageKey: string; webUrl: string | null; sha256: string }): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.transaction(async (uow) => {
    const document = await uow.documents.getByStorageKey(pendingKey);
    if (document) {
      if (stored.sha256 !== document.sha256) throw new AppError('validation', 'The stored copy does not match the record document’s SHA-256.');
      return uow.documents.setStorage(document.id, stored.storageKey, stored.webUrl);
    }
    const item = await uow.evidence.getByStorageKey(pendingKey);
    // An earlier attempt recorded it and stopped before removing its local copy.
    if (!item) return (await uow.evidence.getByStorageKey(stored.storageKey)) !== null || (await uow.documents.getByStorageKey(stored.storageKey)) !== null;
    if (stored.sha256 !== item.sha256) throw new AppError('validation', 'The stored copy does not match the evidence item’s SHA-256.');
    if (!(await uow.evidence.setUploadStatus(item.id, 'stored', stored.storageKey, stored.webUrl))) return false;
    await uow.audit.append({
      at: now.toISOString(),
      actorId: 'system',
      actorRole: 'system',
      action: 'evidence_uploaded',
      requestId: item.requestId,
      fromState: null,
      toState: null,
      reason: null,
      detail: { evidenceId: item.id, storageKey: stored.storageKey },
      httpRequestId: null,
    });
    return true;
  });
}

export async function listEvidence(deps: AppDeps, caller: Caller, requestId: string): Promise<EvidenceItem[]> {
  return throughGate(deps, caller, 'view', requestId, async (gate) => {
    await gate.load(deps.store.read);
    return deps.store.read.evidence.listForRequest(requestId);
  });
}

/**
 * The item, if the caller may view the request's evidence; the view is written to the audit trail
 * in the caller's transaction, before a byte is sent.
 */
export async function auditedEvidenceView(
  uow: UnitOfWork,
  gate: RequestGate,
  caller: Caller,
  requestId: string,
  evidenceId: string,
  now: Date,
  detail: Record<string, unknown> = {},
): Promise<EvidenceItem> {
  const { request, part } = await gate.load(uow);
  const found = UUID.test(evidenceId) ? await uow.evidence.get(evidenceId) : null;
  if (!found || found.requestId !== requestId) throw notFound('No such evidence item on this request.');
  await auditEvent(uow, caller, request, 'view_evidence', part, now, { evidenceId, ...detail });
  return found;
}

/** Streams an item back; every view is written to the audit trail before a byte is sent. */
export async function readEvidence(deps: AppDeps, caller: Caller, requestId: string, evidenceId: string): Promise<{ item: EvidenceItem; content: Readable }> {
  const now = deps.clock.now();
  const item = await throughGate(deps, caller, 'view-evidence', requestId, (gate) => deps.store.transaction((uow) => auditedEvidenceView(uow, gate, caller, requestId, evidenceId, now)));
  return { item, content: await deps.evidence.get(item.storageKey) };
}
