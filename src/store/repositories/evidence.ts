import type { Kysely, Selectable } from 'kysely';
import type { EvidenceItem, EvidenceRepository, UploadStatus } from '../../app/ports';
import type { Database, EvidenceItemsTable } from '../schema';

function toItem(row: Selectable<EvidenceItemsTable>): EvidenceItem {
  return {
    id: row.id,
    requestId: row.request_id,
    subjectId: row.subject_id,
    fileName: row.file_name,
    contentType: row.content_type,
    size: row.size,
    sha256: row.sha256,
    storageKey: row.storage_key,
    webUrl: row.web_url,
    sourceUrl: row.source_url,
    capturedAt: row.captured_at,
    capturedBy: row.captured_by,
    description: row.description,
    publiclyVisible: row.publicly_visible,
    correctsEvidenceId: row.corrects_evidence_id,
    correctionReason: row.correction_reason,
    uploadStatus: row.upload_status as UploadStatus,
    createdAt: row.created_at,
  };
}

export function createEvidenceRepository(db: Kysely<Database>): EvidenceRepository {
  return {
    async insert(item) {
      await db
        .insertInto('evidence_items')
        .values({
          id: item.id,
          request_id: item.requestId,
          subject_id: item.subjectId,
          file_name: item.fileName,
          content_type: item.contentType,
          size: item.size,
          sha256: item.sha256,
          storage_key: item.storageKey,
          web_url: item.webUrl,
          source_url: item.sourceUrl,
          captured_at: item.capturedAt,
          captured_by: item.capturedBy,
          description: item.description,
          publicly_visible: item.publiclyVisible,
          corrects_evidence_id: item.correctsEvidenceId,
          correction_reason: item.correctionReason,
          upload_status: item.uploadStatus,
          created_at: item.createdAt,
        })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('evidence_items').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toItem(row) : null;
    },
    async listForRequest(requestId) {
      const rows = await db.selectFrom('evidence_items').selectAll().where('request_id', '=', requestId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toItem);
    },
    async getByStorageKey(storageKey) {
      const row = await db.selectFrom('evidence_items').selectAll().where('storage_key', '=', storageKey).executeTakeFirst();
      return row ? toItem(row) : null;
    },
    async listAll() {
      const rows = await db.selectFrom('evidence_items').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toItem);
    },
    async setUploadStatus(id, status, storageKey, webUrl) {
      const result = await db.updateTable('evidence_items').set({ upload_status: status, storage_key: storageKey, web_url: webUrl }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
