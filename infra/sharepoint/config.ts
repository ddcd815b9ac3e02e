/** Provisioning settings from the environment (documented in docs/sharepoint.md). */
import { AppError } from '../../src/domain/errors';
import { appCredentialsFromEnv, type Env } from '../../src/evidence/config';
import type { AppCredentials } from '../../src/evidence/sharepoint';
import { SHAREPOINT_ROLES, type LibraryGrant, type ProvisionOptions, type SharePointRole } from './provision';

export interface ProvisionConfig {
  options: ProvisionOptions;
  credentials: AppCredentials;
}

export function provisionConfigFromEnv(env: Env = process.env): ProvisionConfig {
  const missing = ['SHAREPOINT_SITE_ID', 'SHAREPOINT_SITE_URL'].filter((name) => !env[name]);
  if (missing.length) {
    throw new AppError('validation', 'Provisioning needs the site.', Object.fromEntries(missing.map((m) => [m, 'Set this variable.'])));
  }
  const credentials = appCredentialsFromEnv(env);
  return {
    credentials: { ...credentials, authorityHost: credentials.authorityHost ?? 'https://login.microsoftonline.com' },
    options: {
      siteId: env.SHAREPOINT_SITE_ID ?? '',
      siteUrl: env.SHAREPOINT_SITE_URL ?? '',
      libraryName: env.SHAREPOINT_LIBRARY_NAME || 'Evidence',
      grants: parseGrants(env.SHAREPOINT_GRANTS ?? ''),
      graphBaseUrl: env.SHAREPOINT_GRAPH_BASE_URL || 'https://graph.microsoft.com/v1.0',
    },
  };
}

/** `groupObjectId:role` pairs, comma-separated; role is read, contribute, edit or fullcontrol. */
export function parseGrants(value: string): LibraryGrant[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [groupObjectId = '', role = ''] = part.split(':').map((s) => s.trim());
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(groupObjectId) || !(role in SHAREPOINT_ROLES)) {
        throw new AppError('validation', 'SHAREPOINT_GRANTS is not in the form groupObjectId:role,…', {
          SHAREPOINT_GRANTS: `"${part}" should be an Entra group object id, a colon, and one of ${Object.keys(SHAREPOINT_ROLES).join(', ')}.`,
        });
      }
      return { groupObjectId: groupObjectId.toLowerCase(), role: role as SharePointRole };
    });
}
