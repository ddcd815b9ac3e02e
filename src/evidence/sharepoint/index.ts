export { SharePointEvidenceStore, checkedFileName, type FolderReader, type PendingUploadOutcome, type RecordStored, type SharePointStoreOptions } from './store';
export { DirectoryPendingQueue, type PendingQueue, type PendingRecord } from './pending';
export { resolveSharePointConfig, RANGE_UNIT, type SharePointStoreConfig, type CertificateCredential } from './config';
export { EVIDENCE_COLUMNS, EVIDENCE_CONTENT_TYPE_NAME, type ColumnDefinition } from './columns';
export { errorFromResponse, GraphApi, GraphHttpError, withRetry, type RetryPolicy } from './graph';
export { SharePointCheckpointStore, CHECKPOINT_FOLDER } from './checkpoints';
