/**
 * Filing the record documents: the .docx generator joined to the configured evidence store (the
 * RecordDocumentWriter port), and the outbox sender that files them after finalise commits.
 */
import type { AppDeps } from '../app/deps';
import type { RecordDocumentWriter } from '../app/ports';
import { fileRecordDocuments, filingOccasion } from '../app/requests/record-documents';
import type { ConfiguredEvidenceStore } from '../evidence';
import { PermanentDeliveryError, type NotificationSender } from '../notify/ports';

export function recordDocumentWriter(store: ConfiguredEvidenceStore): RecordDocumentWriter {
  return {
    async write(source, filing) {
      // The .docx writer loads when the first documents are written, not while the server starts.
      const { recordDocuments } = await import('../evidence/documents');
      const documents = await recordDocuments(source, filing);
      return Promise.all(
        documents.map(async ({ kind, ...document }) => {
          const stored = await store.putRecordDocument({
            ...document,
            requestId: source.request.id,
            requestReference: source.request.reference,
            caseReference: source.request.form.caseReference,
          });
          return {
            kind,
            fileName: document.fileName,
            contentType: document.contentType,
            size: stored.size,
            sha256: stored.sha256,
            storageKey: stored.storageKey,
            webUrl: stored.webUrl,
          };
        }),
      );
    },
  };
}

/** Lets the request's own originating worker and team manager read its folder where evidence is kept. */
async function grantFolderReaders(deps: AppDeps, store: ConfiguredEvidenceStore, requestId: string): Promise<boolean> {
  const request = await deps.store.read.requests.get(requestId);
  if (!request) return false;
  const readers = await Promise.all([request.originatingWorkerId, request.teamManagerId].map((id) => (id ? deps.directory.get(id) : null)));
  await store.grantRequestFolder(
    request.form.caseReference,
    request.reference,
    readers.filter((p): p is NonNullable<typeof p> => p !== null).map((p) => ({ aadObjectId: p.aadObjectId })),
  );
  return true;
}

export function filingSender(deps: AppDeps, store: ConfiguredEvidenceStore): NotificationSender {
  const writer = recordDocumentWriter(store);
  return {
    async deliver(message, signal) {
      if (!message.requestId) throw new PermanentDeliveryError('The message names no request.');
      const filed = await fileRecordDocuments(deps, writer, message.requestId, filingOccasion(message.payload.action), signal);
      if (!filed) return { status: 'skipped', reason: 'the request was never submitted' };
      await grantFolderReaders(deps, store, message.requestId);
      return { status: 'sent' };
    },
  };
}

/**
 * Sent when a request's first evidence item is recorded. Until SharePoint holds the folder (an
 * upload still pending), the grant fails and the outbox tries again later.
 */
export function folderReadersSender(deps: AppDeps, store: ConfiguredEvidenceStore): NotificationSender {
  return {
    async deliver(message) {
      if (!message.requestId) throw new PermanentDeliveryError('The message names no request.');
      if (!(await grantFolderReaders(deps, store, message.requestId))) throw new PermanentDeliveryError('No such request.');
      return { status: 'sent' };
    },
  };
}
