/** Failed work as administrators see it: each field named here, so a pending record's payload and library path stay inside. */
import type { FailedNotificationView, OperationsView, PendingUploadView } from '../../contracts/operations';
import type { PendingRecord } from '../../evidence/sharepoint/pending';
import type { FailedNotification } from '../../store/repositories/operations';

export function presentFailedNotification(n: FailedNotification): FailedNotificationView {
  return {
    id: n.id,
    requestId: n.requestId,
    requestReference: n.requestReference,
    recipientId: n.recipientId,
    recipientName: n.recipientName,
    kind: n.kind,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: n.createdAt,
  };
}

export function presentPendingUpload(u: PendingRecord): PendingUploadView {
  return {
    storageKey: `pending:${u.key}`,
    requestId: u.requestId,
    requestReference: u.requestReference,
    fileName: u.drivePath.split('/').pop() ?? '',
    size: u.size,
    status: u.status,
    attempts: u.attempts,
    lastError: u.lastError,
    notBefore: u.notBefore,
    createdAt: u.createdAt,
  };
}

export function presentOperations(notifications: readonly FailedNotification[], uploads: readonly PendingRecord[]): OperationsView {
  return { failedNotifications: notifications.map(presentFailedNotification), pendingUploads: uploads.map(presentPendingUpload) };
}
