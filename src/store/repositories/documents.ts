import type { Kysely, Selectable } from 'kysely';
import type { RecordDocumentItem, RecordDocumentRepository } from '../../app/ports';
import type { Database, RecordDocumentsTable } from '../schema';

function toDocument(row: Selectable<RecordDocumentsTable>): RecordDocumentItem {
  return {
    id: row.id,
    requestId: row.request_id,
    kind: row.kind as RecordDocumentItem['kind'],
    occasion: row.occasion as RecordDocumentItem['occasion'],
    version: row.version,
    fileName: row.file_name,
    contentType: row.content_type,
    size: row.size,
    sha256: row.sha256,
    storageKey: row.storage_key,
    webUrl: row.web_url,
    createdAt: row.created_at,
  };
}

export function createRecordDocumentRepository(db: Kysely<Database>): RecordDocumentRepository {
  return {
    async upsert(d) {
      const values = {
        id: d.id,
        request_id: d.requestId,
        kind: d.kind,
        file_name: d.fileName,
        content_type: d.contentType,
        size: d.size,
        sha256: d.sha256,
        storage_key: d.storageKey,
        web_url: d.webUrl,
        created_at: d.createdAt,
        occasion: d.occasion,
        version: d.version,
      };
      await db
        .insertInto('record_documents')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['request_id', 'kind', 'occasion']).doUpdateSet({
            id: values.id,
            file_name: values.file_name,
            content_type: values.content_type,
            size: values.size,
            sha256: values.sha256,
            storage_key: values.storage_key,
            web_url: values.web_url,
            created_at: values.created_at,
          }),
        )
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('record_documents').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toDocument(row) : null;
    },
    async getByStorageKey(storageKey) {
      const row = await db.selectFrom('record_documents').selectAll().where('storage_key', '=', storageKey).executeTakeFirst();
      return row ? toDocument(row) : null;
    },
    async setStorage(id, storageKey, webUrl) {
      const result = await db.updateTable('record_documents').set({ storage_key: storageKey, web_url: webUrl }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async listForRequest(requestId) {
      const rows = await db.selectFrom('record_documents').selectAll().where('request_id', '=', requestId).orderBy('kind').orderBy('version').execute();
      return rows.map(toDocument);
    },
  };
}
