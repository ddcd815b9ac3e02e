/** Configuration of the SharePoint evidence store, with the defaults Microsoft's limits suggest. */
import { AppError } from '../../domain/errors';
import { appVersion } from '../../version';
import { sharePointUserAgent } from './graph';

/** Graph requires every upload-session fragment but the last to be a multiple of 320 KiB. */
export const RANGE_UNIT = 320 * 1024;

export interface CertificateCredential {
  /** Hex SHA-256 (64 characters, preferred) or SHA-1 (40 characters) thumbprint of the certificate. */
  thumbprint: string;
  /** PEM private key of the certificate registered on the app. */
  privateKey: string;
  /** PEM certificate chain, sent as x5c so certificate rotation by subject name works. */
  certificateChain?: string;
}

export interface SharePointStoreConfig {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  certificate?: CertificateCredential;
  siteId: string;
  /** The evidence library's drive id. */
  driveId: string;
  graphBaseUrl?: string;
  authorityHost?: string;
  /** Retention label applied to every item, when the council has one for this record type. */
  retentionLabel?: string;
  /** Years after capture written to the retention date column. */
  retentionYears?: number;
  chunkSize?: number;
  simpleUploadLimit?: number;
  /** Attempts per Graph call (and per stalled range) before the item is left pending. */
  maxAttempts?: number;
  /** First back-off when the server gives no Retry-After; doubles each attempt. */
  retryBaseDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the item is left pending instead. */
  maxRetryDelayMs?: number;
  /** Where files wait until SharePoint confirms them. Must survive restarts. */
  pendingDir: string;
  /** Extra trusted CA (PEM) for a TLS-inspecting proxy, or the local test server. */
  caCertificate?: string;
  /** Sent as User-Agent on every call; defaults to `ISV|SocialMediaChecks|SocialMediaChecks/{version}`. */
  userAgent?: string;
}

export type ResolvedSharePointConfig = Required<
  Omit<SharePointStoreConfig, 'clientSecret' | 'certificate' | 'retentionLabel' | 'caCertificate'>
> &
  Pick<SharePointStoreConfig, 'clientSecret' | 'certificate' | 'retentionLabel' | 'caCertificate'>;

export function resolveSharePointConfig(config: SharePointStoreConfig): ResolvedSharePointConfig {
  const resolved: ResolvedSharePointConfig = {
    graphBaseUrl: 'https://graph.microsoft.com/v1.0',
    authorityHost: 'https://login.microsoftonline.com',
    retentionYears: 7,
    chunkSize: 10 * 1024 * 1024,
    simpleUploadLimit: 4 * 1000 * 1000,
    maxAttempts: 5,
    retryBaseDelayMs: 1000,
    maxRetryDelayMs: 120_000,
    userAgent: sharePointUserAgent('SocialMediaChecks', 'SocialMediaChecks', appVersion()),
    ...withoutUndefined(config),
  };
  const problems: Record<string, string> = {};
  for (const key of ['tenantId', 'clientId', 'siteId', 'driveId', 'pendingDir'] as const) {
    if (!resolved[key]) problems[key] = `Set ${key} for the SharePoint evidence store.`;
  }
  if (!resolved.clientSecret && !resolved.certificate) problems.credential = 'Set a client secret or a certificate for the SharePoint evidence store.';
  if (resolved.chunkSize <= 0 || resolved.chunkSize % RANGE_UNIT !== 0) problems.chunkSize = 'The chunk size must be a positive multiple of 320 KiB (327680 bytes).';
  // "Each byte range must be less than 60 MiB": exactly 60 MiB is refused by Graph.
  if (resolved.chunkSize >= 60 * 1024 * 1024) problems.chunkSize = 'The chunk size must be less than 60 MiB (62914560 bytes): Graph refuses larger upload requests.';
  if (resolved.simpleUploadLimit > 4 * 1024 * 1024) problems.simpleUploadLimit = 'Graph accepts simple uploads of at most 4 MB.';
  if (resolved.maxAttempts < 1) problems.maxAttempts = 'Allow at least one attempt.';
  if (Object.keys(problems).length) throw new AppError('validation', 'The SharePoint evidence store is not configured correctly.', problems);
  return resolved;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
