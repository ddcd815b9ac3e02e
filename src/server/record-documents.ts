/**
 * Filing the record documents: the .docx generator joined to the configured evidence store (the
 * RecordDocumentWriter port), and the outbox sender that files them after finalise commits.
 */
import type { AppDeps } from '../app/deps';
import type { RecordDocumentWriter } from '../app/ports';
import { fileRecordDocuments, filingOccasion } from '../app/requests/record-documents';
import { recordDocuments, type ConfiguredEvidenceStore } from '../evidence';
import { PermanentDeliveryError, type NotificationSender } from '../notify/ports';

export function recordDocumentWriter(store: ConfiguredEvidenceStore): RecordDocumentWriter {
  return {
    async write(source, filing) {
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

export function filingSender(deps: AppDeps, store: ConfiguredEvidenceStore): NotificationSender {
  const writer = recordDocumentWriter(store);
  return {
    async deliver(message) {
      if (!message.requestId) throw new PermanentDeliveryError('The message names no request.');
      const filed = await fileRecordDocuments(deps, writer, message.requestId, filingOccasion(message.payload.action));
      if (!filed) return { status: 'skipped', reason: 'the request was never submitted' };
      // The request's own originating worker and team manager may read its folder in SharePoint.
      const request = await deps.store.read.requests.get(message.requestId);
      if (request) {
        const readers = await Promise.all([request.originatingWorkerId, request.teamManagerId].map((id) => (id ? deps.directory.get(id) : null)));
        await store.grantRequestFolder(
          request.form.caseReference,
          request.reference,
          readers.filter((p): p is NonNullable<typeof p> => p !== null).map((p) => ({ aadObjectId: p.aadObjectId })),
        );
      }
      return { status: 'sent' };
    },
  };
}
