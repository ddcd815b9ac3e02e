/** What the API answers about work the server could not finish on its own (administrators). */
import { z } from 'zod';

export const failedNotificationSchema = z.object({
  id: z.string(),
  requestId: z.string().nullable(),
  requestReference: z.string().nullable(),
  recipientId: z.string().nullable(),
  recipientName: z.string().nullable(),
  /** Stored as sent, so a kind retired since still shows (the tab falls back to the raw name). */
  kind: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});

export const pendingUploadSchema = z.object({
  /** The pending upload's key (`pending:…`), which its retry route takes: not where a stored file is. */
  storageKey: z.string(),
  requestId: z.string(),
  requestReference: z.string(),
  fileName: z.string(),
  size: z.number(),
  status: z.enum(['pending', 'failed']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  /** No retry before this time: SharePoint's Retry-After, however long. */
  notBefore: z.string(),
  createdAt: z.string(),
});

export const operationsViewSchema = z.object({
  failedNotifications: z.array(failedNotificationSchema).max(50),
  pendingUploads: z.array(pendingUploadSchema).max(50),
});

export type FailedNotificationView = z.infer<typeof failedNotificationSchema>;
export type PendingUploadView = z.infer<typeof pendingUploadSchema>;
export type OperationsView = z.infer<typeof operationsViewSchema>;
