/** What the API answers about a request's records: evidence, search sessions, filed documents, the audit trail and notifications. */
import { z } from 'zod';
import { REQUEST_STATES } from '../domain/states';

/** An evidence item as the API shows it: never where the file is kept (`storageKey`). */
export const evidenceItemSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  subjectId: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  /** The file in SharePoint, once it is there. */
  webUrl: z.string().nullable(),
  sourceUrl: z.string(),
  capturedAt: z.string(),
  capturedBy: z.string(),
  description: z.string(),
  publiclyVisible: z.boolean(),
  correctsEvidenceId: z.string().nullable(),
  correctionReason: z.string().nullable(),
  /** `upload_pending` while SharePoint has not yet taken the file. */
  uploadStatus: z.enum(['stored', 'upload_pending']),
  createdAt: z.string(),
});

export const searchSessionSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  accessWorkerId: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  /** The access worker's own confirmation that the corporate account is in use. */
  corporateAccount: z.boolean(),
  /** The people in scope searched in the session; empty for sessions from before this was recorded. */
  subjectIds: z.array(z.string()),
});

/** A filed record document (`GET /api/requests/{id}/documents`), never where the file is kept. */
export const recordDocumentSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  kind: z.enum(['investigation_request', 'investigation_log']),
  occasion: z.enum(['finalise', 'share', 'closed_early']),
  version: z.number(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  webUrl: z.string().nullable(),
  createdAt: z.string(),
});

/** A one-time link to a stored file, for the tab to preview or download. */
export const contentLinkSchema = z.object({ url: z.string(), expiresAt: z.string(), download: z.boolean() });

export const auditEntrySchema = z.object({
  id: z.string(),
  /** Null for a moment after the entry is written, until it is linked into the chain. */
  seq: z.number().nullable(),
  at: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  action: z.string(),
  fromState: z.enum(REQUEST_STATES).nullable(),
  toState: z.enum(REQUEST_STATES).nullable(),
  reason: z.string().nullable(),
  /** What the step recorded, without where files are kept. */
  detail: z.record(z.string(), z.unknown()).nullable(),
  httpRequestId: z.string().nullable(),
  hash: z.string().nullable(),
});

/** Delivery of one notification the caller's step sent. */
export const notificationStatusSchema = z.object({
  id: z.string(),
  kind: z.string(),
  recipientId: z.string().nullable(),
  recipientName: z.string().nullable(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** What to do about a failure, for the sender or an administrator. */
  advice: z.string().nullable(),
  canRetry: z.boolean(),
});

export type EvidenceItem = z.infer<typeof evidenceItemSchema>;
export type SearchSession = z.infer<typeof searchSessionSchema>;
export type RecordDocument = z.infer<typeof recordDocumentSchema>;
export type ContentLink = z.infer<typeof contentLinkSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type NotificationStatus = z.infer<typeof notificationStatusSchema>;
