/**
 * Installs the app for someone who has not installed it yet, through Microsoft Graph
 * (POST /users/{id}/teamwork/installedApps; needs TeamsAppInstallation.ReadWriteSelfForUser.All or
 * ReadWriteForUser.All granted to the app). When Teams finishes, it sends the bot an
 * installationUpdate, and the cards owed to that person are delivered then.
 */
import type { AppInstaller } from '../notify/ports';
import type { TokenProvider } from './app-tokens';
import { GRAPH_BASE_URL } from './json-client';

export interface GraphAppInstallerOptions {
  /** Default https://graph.microsoft.com/v1.0 */
  graphBaseUrl?: string;
  /** The app's id in the organisation's app catalogue (not the manifest id). */
  catalogAppId: string;
  /** An app-only Graph token (client credentials), from the shared sign-in. */
  token: TokenProvider;
}

export class AppInstallError extends Error {}

export function createGraphAppInstaller(options: GraphAppInstallerOptions): AppInstaller {
  const base = (options.graphBaseUrl ?? GRAPH_BASE_URL).replace(/\/$/, '');
  return {
    async install(aadObjectId) {
      const response = await fetch(`${base}/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await options.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ 'teamsApp@odata.bind': `${base}/appCatalogs/teamsApps/${encodeURIComponent(options.catalogAppId)}` }),
      });
      if (response.status === 201) return 'requested';
      // Graph answers 409 Conflict when the app is already installed for the user.
      if (response.status === 409) return 'already_installed';
      const detail = await response.text().catch(() => '');
      throw new AppInstallError(`Microsoft Graph refused to install the app (${response.status}): ${detail.slice(0, 300)}`);
    },
  };
}
