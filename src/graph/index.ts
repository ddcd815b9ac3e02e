/**
 * Microsoft Graph for the whole app: app-only sign-in (MSAL client credentials), JSON reads with
 * paging and retries, and installing the Teams app for a person. Evidence (SharePoint), the
 * directory sync and the bot's delivery all reach Graph through this module.
 */
export { createTokenProvider, graphSignIn, GRAPH_SCOPE, type AppCredentials, type TokenProvider } from './app-tokens';
export { createGraphJsonClient, GRAPH_BASE_URL, type GraphJsonClient, type GraphJsonClientOptions } from './json-client';
export { GraphHttpError, withRetry, parseRetryAfter, retryDelay, type RetryPolicy } from './errors';
export { AppInstallError, createGraphAppInstaller, type GraphAppInstallerOptions } from './app-installer';
