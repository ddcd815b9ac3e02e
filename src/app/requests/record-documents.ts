/**
 * The Investigation Request and Log filed as documents beside the evidence, ready for the case
 * record: both on finalise; the log again on share, saying with whom and when; and both when a
 * request lapses or is cancelled after evidence was captured. This runs after the decision
 * commits (an outbox message), so a failure is retried and never undoes it; each occasion's log
 * is a new version, the earlier kept. An occasion is filed once: a retry whose filing already
 * committed (its message redelivered, or run twice at once) keeps that filing and removes the files
 * it wrote itself, which no row points at — in SharePoint they would be copies nobody can find or
 * dispose of.
 */
import { randomUUID } from 'node:crypto';
import { retentionSettings } from '../retention/shared';
import { notFound } from '../../domain/errors';
import type { AppDeps } from '../deps';
import type { Caller, FilingOccasion, RecordDocumentItem, RecordDocumentKind, RecordDocumentWriter, UnitOfWork } from '../ports';
import { throughGate, UUID, type RequestGate } from '../gate';
import { auditEvent } from './shared';
import type { Readable } from 'node:stream';

const KINDS: Record<FilingOccasion, RecordDocumentKind[]> = {
  finalise: ['investigation_request', 'investigation_log'],
  share: ['investigation_log'],
  closed_early: ['investigation_request', 'investigation_log'],
};

/** The occasion an outbox message's action files for. */
export function filingOccasion(action: unknown): FilingOccasion {
  if (action === 'finalise') return 'finalise';
  if (action === 'share') return 'share';
  return 'closed_early';
}

const filedFor = (documents: RecordDocumentItem[], occasion: FilingOccasion): RecordDocumentItem[] | null => {
  const filed = documents.filter((d) => d.occasion === occasion);
  return KINDS[occasion].every((kind) => filed.some((d) => d.kind === kind)) ? filed : null;
};

export async function fileRecordDocuments(
  deps: AppDeps,
  writer: RecordDocumentWriter,
  requestId: string,
  occasion: FilingOccasion = 'finalise',
  /** Aborted when the outbox has given up on this attempt: its files are then not filed. */
  signal?: AbortSignal,
): Promise<RecordDocumentItem[] | null> {
  const read = deps.store.read;
  const request = await read.requests.get(requestId);
  if (!request || request.state === 'draft') return null;
  const earlier = await read.documents.listForRequest(requestId);
  const already = filedFor(earlier, occasion);
  if (already) return already;
  const people: Record<string, string> = {};
  for (const person of await deps.directory.all()) people[person.id] = person.displayName;
  const now = deps.clock.now();
  const kinds = KINDS[occasion];
  const version = 1 + Math.max(0, ...earlier.filter((d) => d.kind === 'investigation_log' && d.occasion !== occasion).map((d) => d.version));
  const written = await writer.write(
    { request, evidence: await read.evidence.listForRequest(requestId), searchSessions: await read.searchSessions.listForRequest(requestId), people, generatedAt: now, retention: retentionSettings(deps) },
    { kinds, version },
  );
  const items: RecordDocumentItem[] = written.map((w) => ({ ...w, id: randomUUID(), requestId, occasion, version, createdAt: now.toISOString() }));
  // Nothing points at these files unless the transaction below commits them.
  const discardWritten = () => Promise.all(items.map((item) => deps.evidence.remove(item.storageKey).catch(() => undefined)));
  let filedMeanwhile: RecordDocumentItem[] | null = null;
  // Past this point the commit may have been made even if it reports a failure: a row without its
  // file is worse than a file without its row, so the files then stay (as addEvidence does).
  let committing = false;
  try {
    signal?.throwIfAborted();
    await deps.store.transaction(async (uow) => {
      // One filing at a time per request: another may have committed while these files were written.
      await uow.requests.getForUpdate(requestId);
      filedMeanwhile = filedFor(await uow.documents.listForRequest(requestId), occasion);
      if (filedMeanwhile) return;
      for (const item of items) await uow.documents.upsert(item);
      await uow.audit.append({
        at: now.toISOString(),
        actorId: 'system',
        actorRole: 'system',
        action: 'file_record_documents',
        requestId,
        fromState: request.state,
        toState: request.state,
        reason: null,
        detail: { occasion, version, documents: items.map((i) => ({ kind: i.kind, sha256: i.sha256, storageKey: i.storageKey })) },
        httpRequestId: null,
      });
      committing = true;
    });
  } catch (error) {
    if (!committing) await discardWritten();
    throw error;
  }
  if (filedMeanwhile) {
    await discardWritten();
    return filedMeanwhile;
  }
  return items;
}

export async function listRecordDocuments(deps: AppDeps, caller: Caller, requestId: string): Promise<RecordDocumentItem[]> {
  return throughGate(deps, caller, 'view', requestId, async (gate) => {
    await gate.load(deps.store.read);
    return deps.store.read.documents.listForRequest(requestId);
  });
}

/** The document, if the caller may see the request; the read is audited in the caller's transaction. */
export async function auditedDocumentView(
  uow: UnitOfWork,
  gate: RequestGate,
  caller: Caller,
  requestId: string,
  documentId: string,
  now: Date,
  detail: Record<string, unknown> = {},
): Promise<RecordDocumentItem> {
  const { request, part } = await gate.load(uow);
  const found = UUID.test(documentId) ? await uow.documents.get(documentId) : null;
  if (!found || found.requestId !== requestId) throw notFound('No such document on this request.');
  await auditEvent(uow, caller, request, 'view_record_document', part, now, { documentId, kind: found.kind, ...detail });
  return found;
}

/** Streams a record document back; every read is audited, as for evidence. */
export async function readRecordDocument(deps: AppDeps, caller: Caller, requestId: string, documentId: string): Promise<{ item: RecordDocumentItem; content: Readable }> {
  const now = deps.clock.now();
  const item = await throughGate(deps, caller, 'view', requestId, (gate) => deps.store.transaction((uow) => auditedDocumentView(uow, gate, caller, requestId, documentId, now)));
  return { item, content: await deps.evidence.get(item.storageKey) };
}
