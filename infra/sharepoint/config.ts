/** Provisioning settings from the environment (documented in docs/sharepoint.md). */
import { AppError } from '../../src/domain/errors';
import { appCredentialsFromEnv, type Env } from '../../src/evidence/config';
import type { AppCredentials } from '../../src/graph';
import type { LibraryGrant, ProvisionOptions } from './provision';

/**
 * The groups that read the whole library: the role groups the directory sync reads, so who may read
 * follows the directory and no second list is kept. Originating workers and team managers read only
 * their own request's folder, granted by the evidence store.
 */
const READER_ROLE_GROUPS = ['ROLE_GROUP_SERVICE_DIRECTOR', 'ROLE_GROUP_SERVICE_MANAGER', 'ROLE_GROUP_ACCESS_WORKER'] as const;

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
      grants: libraryReaders(env),
      graphBaseUrl: env.SHAREPOINT_GRAPH_BASE_URL || 'https://graph.microsoft.com/v1.0',
    },
  };
}

/** The library's readers from ROLE_GROUP_SERVICE_DIRECTOR, ROLE_GROUP_SERVICE_MANAGER and ROLE_GROUP_ACCESS_WORKER. */
export function libraryReaders(env: Env): LibraryGrant[] {
  if (env.SHAREPOINT_GRANTS) {
    throw new AppError('validation', 'SHAREPOINT_GRANTS is no longer used.', {
      SHAREPOINT_GRANTS: `Remove it: the library's readers are the role groups (${READER_ROLE_GROUPS.join(', ')}), and people only read.`,
    });
  }
  const problems: Record<string, string> = {};
  const grants: LibraryGrant[] = [];
  for (const name of READER_ROLE_GROUPS) {
    const id = env[name]?.trim() ?? '';
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) problems[name] = 'Set the object id of the Entra ID security group for this role.';
    else grants.push({ groupObjectId: id.toLowerCase() });
  }
  if (Object.keys(problems).length) throw new AppError('validation', 'Provisioning needs the role groups that read the library.', problems);
  return grants;
}
