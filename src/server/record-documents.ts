/** Joins the .docx generator to the configured evidence store: the RecordDocumentWriter port. */
import type { RecordDocumentWriter } from '../app/ports';
import { recordDocuments, type ConfiguredEvidenceStore } from '../evidence';

export function recordDocumentWriter(store: ConfiguredEvidenceStore): RecordDocumentWriter {
  return {
    async write(source) {
      const documents = await recordDocuments(source);
      const kinds = ['investigation_request', 'investigation_log'] as const;
      return Promise.all(
        documents.map(async (document, i) => {
          const stored = await store.putRecordDocument({
            ...document,
            requestId: source.request.id,
            requestReference: source.request.reference,
            caseReference: source.request.form.caseReference,
          });
          return {
            kind: kinds[i] ?? 'investigation_log',
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
