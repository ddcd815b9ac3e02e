/**
 * Where the audit chain's checkpoints are signed and published (docs/audit.md): the key comes
 * from AUDIT_SIGNING_KEY (Key Vault in production) or, in local mode, a file in DATA_DIR; the
 * checkpoints go to SharePoint's evidence site when EVIDENCE_STORE=sharepoint, else to a folder
 * (AUDIT_CHECKPOINT_DIR, default DATA_DIR/checkpoints).
 */
import path from 'node:path';
// The modules themselves, not ../audit: `audit:verify` loads this and need not load the sequencer or kysely.
import {
  createCheckpointSigner,
  loadSigningKey,
  loadVerifyKeys,
  type AuditKeySource,
  type CheckpointSigner,
} from '../audit/checkpoint';
import { folderCheckpointStore, type CheckpointStore } from '../audit/published';
import type { EvidenceStoreConfig } from '../evidence/config';
import type { SharePointStoreConfig } from '../evidence/sharepoint/config';

export interface AuditAnchorConfig {
  keys: AuditKeySource;
  /** Local mode makes its key on first use; production must be given one. */
  createLocalKey: boolean;
  publishTo: { kind: 'folder'; dir: string } | { kind: 'sharepoint'; sharepoint: SharePointStoreConfig };
}

export interface AuditAnchorEnv {
  AUDIT_SIGNING_KEY?: string | undefined;
  AUDIT_PUBLIC_KEY?: string | undefined;
  AUDIT_CHECKPOINT_DIR?: string | undefined;
}

export function auditAnchorConfig(
  env: AuditAnchorEnv,
  context: { dataDir: string; production: boolean; evidence: EvidenceStoreConfig },
): AuditAnchorConfig {
  const localDir = context.dataDir === ':memory:' ? undefined : context.dataDir;
  const keys: AuditKeySource = {
    ...(env.AUDIT_SIGNING_KEY ? { signingKey: env.AUDIT_SIGNING_KEY } : {}),
    ...(env.AUDIT_PUBLIC_KEY ? { publicKey: env.AUDIT_PUBLIC_KEY } : {}),
    ...(!context.production && localDir ? { dataDir: localDir } : {}),
  };
  const publishTo: AuditAnchorConfig['publishTo'] =
    context.evidence.kind === 'sharepoint'
      ? { kind: 'sharepoint', sharepoint: context.evidence.sharepoint }
      : { kind: 'folder', dir: path.resolve(env.AUDIT_CHECKPOINT_DIR || path.join(localDir ?? 'data', 'checkpoints')) };
  return { keys, createLocalKey: !context.production, publishTo };
}

/** The SharePoint side (MSAL, the Graph client) is loaded only when used: `audit:verify` starts faster without it. */
export async function createCheckpointStore(config: AuditAnchorConfig): Promise<CheckpointStore> {
  if (config.publishTo.kind === 'folder') return folderCheckpointStore(config.publishTo.dir);
  const { SharePointCheckpointStore } = await import('../evidence/sharepoint/checkpoints');
  return new SharePointCheckpointStore(config.publishTo.sharepoint);
}

/** The signer, or null when no key is configured (then nothing is signed or published). */
export async function loadCheckpointSigner(config: AuditAnchorConfig): Promise<CheckpointSigner | null> {
  const key = await loadSigningKey(config.keys, config.createLocalKey);
  return key ? createCheckpointSigner(key) : null;
}

export const loadCheckpointVerifyKeys = (config: AuditAnchorConfig) => loadVerifyKeys(config.keys);
