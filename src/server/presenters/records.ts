/**
 * A request's records as the API answers them. Where a file is kept (`storageKey`) is the
 * server's business: it is never sent, not even inside an audit entry's detail.
 */
import type { AuditEntry, ContentLink, EvidenceItem, NotificationStatus, RecordDocument, SearchSession } from '../../contracts/records';
import type { EvidenceItem as StoredEvidence, RecordDocumentItem, SearchSession as StoredSession } from '../../app/ports';
import type { IssuedLink } from '../../app/requests/content-links';
import type { getTimeline, listNotifications } from '../../app/requests/timeline';

export function presentEvidence(e: StoredEvidence): EvidenceItem {
  return {
    id: e.id,
    requestId: e.requestId,
    subjectId: e.subjectId,
    fileName: e.fileName,
    contentType: e.contentType,
    size: e.size,
    sha256: e.sha256,
    webUrl: e.webUrl,
    sourceUrl: e.sourceUrl,
    capturedAt: e.capturedAt,
    capturedBy: e.capturedBy,
    description: e.description,
    publiclyVisible: e.publiclyVisible,
    correctsEvidenceId: e.correctsEvidenceId,
    correctionReason: e.correctionReason,
    uploadStatus: e.uploadStatus,
    createdAt: e.createdAt,
  };
}

export function presentSearchSession(s: StoredSession): SearchSession {
  return {
    id: s.id,
    requestId: s.requestId,
    accessWorkerId: s.accessWorkerId,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    durationSeconds: s.durationSeconds,
    corporateAccount: s.corporateAccount,
    subjectIds: s.subjectIds,
  };
}

export function presentDocument(d: RecordDocumentItem): RecordDocument {
  return {
    id: d.id,
    requestId: d.requestId,
    kind: d.kind,
    occasion: d.occasion,
    version: d.version,
    fileName: d.fileName,
    contentType: d.contentType,
    size: d.size,
    sha256: d.sha256,
    webUrl: d.webUrl,
    createdAt: d.createdAt,
  };
}

export function presentContentLink(link: IssuedLink): ContentLink {
  return { url: link.url, expiresAt: link.expiresAt, download: link.download };
}

/** Removes `storageKey` at any depth of an audit entry's detail (evidence and filing entries record it). */
function withoutStorageKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStorageKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'storageKey').map(([key, v]) => [key, withoutStorageKeys(v)]));
}

type TimelineEntry = Awaited<ReturnType<typeof getTimeline>>[number];

export function presentAuditEntry(e: TimelineEntry): AuditEntry {
  return {
    id: e.id,
    seq: e.seq,
    at: e.at,
    actorId: e.actorId,
    actorName: e.actorName,
    actorRole: e.actorRole,
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    reason: e.reason,
    detail: e.detail ? (withoutStorageKeys(e.detail) as Record<string, unknown>) : null,
    httpRequestId: e.httpRequestId,
    hash: e.hash,
  };
}

type Delivery = Awaited<ReturnType<typeof listNotifications>>[number];

export function presentNotification(n: Delivery): NotificationStatus {
  return {
    id: n.id,
    kind: n.kind,
    recipientId: n.recipientId,
    recipientName: n.recipientName,
    status: n.status,
    attempts: n.attempts,
    createdAt: n.createdAt,
    sentAt: n.sentAt,
    lastError: n.lastError,
    advice: n.advice,
    canRetry: n.canRetry,
  };
}
