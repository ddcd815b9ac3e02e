import { generateKeyPairSync } from 'node:crypto';

/** A fresh Ed25519 private key as base64 PKCS#8 DER, one of the forms docs/audit.md allows for AUDIT_SIGNING_KEY (required in production). */
export function auditSigningKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
}
