export { canonicalJson, GENESIS_HASH, hashAuditEntry } from './hash';
export { createAuditLog, DEFAULT_CHECKPOINT_EVERY, writeCheckpoint, type AuditCheckpoint, type AuditLogOptions } from './log';
export { verifyAuditChain, type AuditVerification } from './verify';
