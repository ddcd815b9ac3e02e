/**
 * Signed checkpoints, after the signed tree heads of Certificate Transparency (RFC 9162 §4.10):
 * the chain's size and the hash of its last entry, with a time, signed with Ed25519 by a key the
 * database does not hold. Published outside the database (./publish.ts), they let the verifier
 * notice a chain rewritten by someone who controls the database, checkpoints included: they
 * cannot make the signature.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from './hash';

/** Names what the checkpoint is of, so a signature cannot be reused for anything else. */
export const CHECKPOINT_ORIGIN = 'social-media-checks/audit-chain/v1';

export interface CheckpointBody {
  origin: string;
  /** How many entries the chain had: the seq of its last entry. */
  treeSize: number;
  /** The hash of entry `treeSize`. */
  headHash: string;
  timestamp: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** The first 16 hex digits of the SHA-256 of the public key (SubjectPublicKeyInfo, DER). */
  keyId: string;
  /** Ed25519 over the canonical JSON of the body, base64. */
  signature: string;
}

export interface CheckpointSigner {
  keyId: string;
  publicKey: KeyObject;
  sign(body: Omit<CheckpointBody, 'origin'>): SignedCheckpoint;
}

const keyIds = new WeakMap<KeyObject, string>();

export function keyIdOf(publicKey: KeyObject): string {
  // Remembered: the verifier asks once per checkpoint, and a chain holds one per hundred entries.
  let id = keyIds.get(publicKey);
  if (id === undefined) {
    id = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
    keyIds.set(publicKey, id);
  }
  return id;
}

function signedText(body: CheckpointBody): Buffer {
  const { origin, treeSize, headHash, timestamp } = body;
  return Buffer.from(canonicalJson({ origin, treeSize, headHash, timestamp }), 'utf8');
}

export function createCheckpointSigner(privateKey: KeyObject): CheckpointSigner {
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    publicKey,
    sign(body) {
      const full: CheckpointBody = { origin: CHECKPOINT_ORIGIN, treeSize: body.treeSize, headHash: body.headHash, timestamp: body.timestamp };
      return { ...full, keyId, signature: sign(null, signedText(full), privateKey).toString('base64') };
    },
  };
}

/** Whether one of `publicKeys` made the signature (the key id picks it). */
export function checkpointSignatureValid(checkpoint: SignedCheckpoint, publicKeys: readonly KeyObject[]): boolean {
  const key = publicKeys.find((k) => keyIdOf(k) === checkpoint.keyId);
  if (!key || checkpoint.origin !== CHECKPOINT_ORIGIN) return false;
  try {
    return verify(null, signedText(checkpoint), key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** A published checkpoint's text, or null when it is not one. */
export function parseSignedCheckpoint(text: string): SignedCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const ok =
    typeof v.origin === 'string' &&
    typeof v.treeSize === 'number' && Number.isSafeInteger(v.treeSize) && v.treeSize >= 1 &&
    typeof v.headHash === 'string' && /^[0-9a-f]{64}$/.test(v.headHash) &&
    typeof v.timestamp === 'string' && !Number.isNaN(Date.parse(v.timestamp)) &&
    typeof v.keyId === 'string' &&
    typeof v.signature === 'string';
  if (!ok) return null;
  return {
    origin: v.origin as string,
    treeSize: v.treeSize as number,
    headHash: v.headHash as string,
    timestamp: v.timestamp as string,
    keyId: v.keyId as string,
    signature: v.signature as string,
  };
}

/** The key file in local mode, beside the database but never in it. */
export const LOCAL_KEY_FILE = 'audit-signing-key.pem';

/** A key given as PEM, or as base64 of its DER (PKCS#8 for private, SPKI for public keys). */
function keyFromText(text: string, kind: 'private' | 'public'): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.includes('-----BEGIN')
    ? kind === 'private' ? createPrivateKey(trimmed) : createPublicKey(trimmed)
    : kind === 'private'
      ? createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' })
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`The audit ${kind} key must be an Ed25519 key.`);
  return key;
}

export interface AuditKeySource {
  /** AUDIT_SIGNING_KEY: the private key (from Key Vault in production). */
  signingKey?: string;
  /** AUDIT_PUBLIC_KEY: the public key(s) alone, for a verifier that must not be able to sign. */
  publicKey?: string;
  /** Local mode: the key lives in this folder; ':memory:' or absent means none. */
  dataDir?: string;
}

/**
 * The signing key: AUDIT_SIGNING_KEY when set, else the local key file, made on first use when
 * `create` (the server in local mode). Null when there is none.
 */
export async function loadSigningKey(source: AuditKeySource, create: boolean): Promise<KeyObject | null> {
  if (source.signingKey) return keyFromText(source.signingKey, 'private');
  if (!source.dataDir || source.dataDir === ':memory:') return null;
  const file = path.join(source.dataDir, LOCAL_KEY_FILE);
  const existing = await readIfExists(file);
  if (existing !== null) return keyFromText(existing, 'private');
  if (!create) return null;
  const { privateKey } = generateKeyPairSync('ed25519');
  await mkdir(source.dataDir, { recursive: true });
  try {
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return keyFromText(await readFile(file, 'utf8'), 'private');
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The public keys a verifier accepts: AUDIT_PUBLIC_KEY, else the signing key's. AUDIT_PUBLIC_KEY
 * may hold several (PEM blocks one after another, or base64 keys separated by commas): after the
 * signing key is rotated, checkpoints signed with the old one must still verify.
 */
export async function loadVerifyKeys(source: AuditKeySource): Promise<KeyObject[]> {
  if (source.publicKey) {
    const pem = source.publicKey.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g);
    const texts = pem ?? source.publicKey.split(',').filter((t) => t.trim());
    return texts.map((text) => keyFromText(text, 'public'));
  }
  const privateKey = await loadSigningKey(source, false);
  return privateKey ? [createPublicKey(privateKey)] : [];
}
