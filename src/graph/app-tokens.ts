/**
 * App-only tokens for Graph through MSAL's client credentials flow. The authority is the
 * configured host plus the tenant; naming that host as a known authority makes MSAL trust it
 * without asking Microsoft's instance discovery, so it talks only to that host.
 */
import { ConfidentialClientApplication, ServerError, type Configuration } from '@azure/msal-node';
import { GraphHttpError } from './errors';

export type TokenProvider = (scope?: string) => Promise<string>;

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** What MSAL needs: the app, its credential, and where Entra ID answers. */
export interface AppCredentials {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** Thumbprint (hex SHA-256 or SHA-1), PEM private key and optional PEM chain of the app's certificate. */
  certificate?: { thumbprint: string; privateKey: string; certificateChain?: string };
  /** e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** Extra trusted CA (PEM) for a TLS-inspecting proxy, or the local test server. */
  caCertificate?: string;
}

export function createTokenProvider(config: AppCredentials): TokenProvider {
  const authorityHost = new URL(config.authorityHost);
  const auth: Configuration['auth'] = {
    clientId: config.clientId,
    authority: `${authorityHost.origin}/${config.tenantId}`,
    knownAuthorities: [authorityHost.host],
  };
  if (config.certificate) {
    const { thumbprint, privateKey, certificateChain } = config.certificate;
    const hex = thumbprint.replace(/[^0-9a-f]/gi, '');
    auth.clientCertificate = {
      ...(hex.length === 64 ? { thumbprintSha256: hex } : { thumbprint: hex }),
      privateKey,
      ...(certificateChain ? { x5c: certificateChain } : {}),
    };
  } else {
    auth.clientSecret = config.clientSecret;
  }
  const app = new ConfidentialClientApplication({
    auth,
    system: config.caCertificate ? { customAgentOptions: { ca: config.caCertificate } } : {},
  });
  return async (scope = GRAPH_SCOPE) => {
    // MSAL keeps the token in its in-memory cache and renews it shortly before expiry.
    const result = await app.acquireTokenByClientCredential({ scopes: [scope] }).catch((error: unknown) => {
      throw tokenError(error);
    });
    if (!result?.accessToken) throw new GraphHttpError(503, 'no_token', 'Microsoft Entra ID returned no access token.', null);
    return result.accessToken;
  };
}

/** OAuth errors that retrying cannot fix (wrong secret, app not consented); anything else may pass. */
const PERMANENT_TOKEN_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'invalid_request', 'invalid_scope', 'invalid_grant']);

function tokenError(error: unknown): GraphHttpError {
  const message = `Could not get a token for Microsoft Graph: ${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof ServerError && PERMANENT_TOKEN_ERRORS.has(error.errorCode)) return new GraphHttpError(401, error.errorCode, message, null);
  return new GraphHttpError(503, 'token_unavailable', message, null);
}

/**
 * Sign-in shared by everything that calls Graph in one process: the same app registration gets
 * one MSAL client, so one token serves evidence, the directory sync and the app installer.
 */
export function graphSignIn(create: (credentials: AppCredentials) => TokenProvider = createTokenProvider): (credentials: AppCredentials) => TokenProvider {
  const providers = new Map<string, TokenProvider>();
  return (credentials) => {
    const key = [new URL(credentials.authorityHost).origin, credentials.tenantId, credentials.clientId, credentials.certificate?.thumbprint ?? ''].join(' ');
    let provider = providers.get(key);
    if (!provider) {
      provider = create(credentials);
      providers.set(key, provider);
    }
    return provider;
  };
}
