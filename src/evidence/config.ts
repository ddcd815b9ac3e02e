/** Evidence store configuration from the environment (documented in docs/sharepoint.md). */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';
import { DEFAULT_MAX_EVIDENCE_BYTES } from './checked-upload';
import { evidenceLimitBytes } from '../domain/evidence-size';
import type { AppCredentials } from '../graph/app-tokens';
import type { SharePointStoreConfig } from './sharepoint/config';

export type EvidenceStoreConfig =
  | { kind: 'local'; dir: string; maxBytes: number }
  | { kind: 'sharepoint'; sharepoint: SharePointStoreConfig; maxBytes: number };

export type Env = Record<string, string | undefined>;

export function evidenceConfigFromEnv(env: Env = process.env): EvidenceStoreConfig {
  const dataDir = env.DATA_DIR || './data';
  const megabytes = positiveInteger(env, 'MAX_EVIDENCE_MB');
  const maxBytes = megabytes === undefined ? DEFAULT_MAX_EVIDENCE_BYTES : evidenceLimitBytes(megabytes);
  const kind = (env.EVIDENCE_STORE || 'local').toLowerCase();
  if (kind === 'local') return { kind: 'local', dir: env.EVIDENCE_DIR || path.join(dataDir, 'evidence'), maxBytes };
  if (kind !== 'sharepoint') {
    throw new AppError('validation', 'EVIDENCE_STORE must be "local" or "sharepoint".', { EVIDENCE_STORE: `Unknown evidence store "${kind}".` });
  }
  const missing = ['SHAREPOINT_SITE_ID', 'SHAREPOINT_DRIVE_ID'].filter((name) => !env[name]);
  if (missing.length) {
    throw new AppError('validation', 'The SharePoint evidence store needs more configuration.', Object.fromEntries(missing.map((m) => [m, 'Set this variable.'])));
  }
  const sharepoint: SharePointStoreConfig = {
    ...appCredentialsFromEnv(env),
    siteId: env.SHAREPOINT_SITE_ID ?? '',
    driveId: env.SHAREPOINT_DRIVE_ID ?? '',
    pendingDir: env.SHAREPOINT_PENDING_DIR || path.join(dataDir, 'evidence-pending'),
    graphBaseUrl: env.SHAREPOINT_GRAPH_BASE_URL || undefined,
    retentionLabel: env.SHAREPOINT_RETENTION_LABEL || undefined,
    retentionYears: positiveInteger(env, 'SHAREPOINT_RETENTION_YEARS'),
    chunkSize: positiveInteger(env, 'SHAREPOINT_CHUNK_SIZE'),
    maxAttempts: positiveInteger(env, 'SHAREPOINT_MAX_ATTEMPTS'),
  };
  return { kind: 'sharepoint', sharepoint, maxBytes };
}

/** The app registration and its credential: AZURE_TENANT_ID, AZURE_CLIENT_ID, and a certificate or secret. */
export function appCredentialsFromEnv(env: Env = process.env): Omit<AppCredentials, 'authorityHost'> & { authorityHost?: string } {
  const missing = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID'].filter((name) => !env[name]);
  if (!env.AZURE_CLIENT_SECRET && !env.AZURE_CLIENT_CERTIFICATE_PATH) missing.push('AZURE_CLIENT_CERTIFICATE_PATH or AZURE_CLIENT_SECRET');
  if (missing.length) {
    throw new AppError('validation', 'The app registration for Microsoft Graph (AZURE_*) is not configured.', Object.fromEntries(missing.map((m) => [m, 'Set this variable.'])));
  }
  return {
    tenantId: env.AZURE_TENANT_ID ?? '',
    clientId: env.AZURE_CLIENT_ID ?? '',
    authorityHost: env.AZURE_AUTHORITY_HOST || undefined,
    caCertificate: env.SHAREPOINT_CA_FILE ? readFileSync(env.SHAREPOINT_CA_FILE, 'utf8') : undefined,
    // A certificate wins over a secret: SharePoint REST (used by provisioning) accepts only certificates for app-only calls.
    ...(env.AZURE_CLIENT_CERTIFICATE_PATH
      ? { certificate: certificateFromPem(readFileSync(env.AZURE_CLIENT_CERTIFICATE_PATH, 'utf8')) }
      : { clientSecret: env.AZURE_CLIENT_SECRET }),
  };
}

/** A PEM file holding the private key and the certificate, as Azure tooling exports it. */
export function certificateFromPem(pem: string): NonNullable<SharePointStoreConfig['certificate']> {
  const privateKey = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const first = certificates[0];
  if (!privateKey || !first) {
    throw new AppError('validation', 'The certificate file must hold the private key and the certificate in PEM.', {
      AZURE_CLIENT_CERTIFICATE_PATH: 'Export the certificate with its private key as PEM.',
    });
  }
  return { thumbprint: new X509Certificate(first).fingerprint256.replace(/:/g, ''), privateKey, certificateChain: certificates.join('\n') };
}

export function positiveInteger(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new AppError('validation', `${name} must be a positive whole number.`, { [name]: 'Enter a positive whole number.' });
  return value;
}
