export { bodyHash, bodyText, canonicalJson, GENESIS_HASH, hashAuditEntry, linkHash, type AuditBody } from './hash';
export { chainHead, createAuditLog, DEFAULT_CHECKPOINT_EVERY, writeCheckpoint, type AuditCheckpoint } from './log';
export { createAuditSequencer, linkPending, type AuditSequencer, type LinkResult, type SequencerOptions } from './sequencer';
export {
  CHECKPOINT_ORIGIN,
  checkpointSignatureValid,
  createCheckpointSigner,
  keyIdOf,
  loadSigningKey,
  loadVerifyKeys,
  parseSignedCheckpoint,
  type AuditKeySource,
  type CheckpointSigner,
  type SignedCheckpoint,
} from './checkpoint';
export {
  anchorCheckpoint,
  anchorIfDue,
  ANCHOR_MAX_AGE_MS,
  checkpointFileName,
  folderCheckpointStore,
  readPublished,
  type CheckpointStore,
  type PublishedCheckpoint,
} from './publish';
export { verifyAuditChain, type AuditVerification, type VerifyOptions } from './verify';
export { walkAuditChain, type ChainSource } from './walk';
