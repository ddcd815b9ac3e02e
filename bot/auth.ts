/**
 * Authentication both ways for the Bot Framework protocol.
 *
 * Inbound, every activity is checked by botbuilder's own ConfigurationBotFrameworkAuthentication,
 * the code the Bot Connector's documentation points bot authors to ("If you're using the Bot
 * Framework SDK, you don't need to implement the security procedures described in this article").
 * Only the OpenID metadata address can be changed (a local stand-in in tests); every other
 * setting is the public cloud's.
 *
 * Outbound, calls to the Bot Connector carry a token for https://api.botframework.com, obtained
 * one of the two ways a new Azure Bot can be created:
 * - SingleTenant: the client-credentials grant at https://login.microsoftonline.com/{tenant};
 * - UserAssignedMSI: the App Service managed identity endpoint, through MSAL's
 *   ManagedIdentityApplication for that identity's client id. botbuilder's own managed identity
 *   factory goes through DefaultAzureCredential, which prefers AZURE_CLIENT_ID/AZURE_CLIENT_SECRET
 *   when set — here those belong to the Graph app registration, so it would sign as the wrong app.
 *
 * With no app id (local mode) outbound calls carry no token and go only to loopback service URLs.
 */
import { ManagedIdentityApplication } from '@azure/msal-node';
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  ServiceClientCredentialsFactory,
  type AuthenticateRequestResult,
  type ServiceClientCredentials,
  type UserTokenClient,
} from 'botframework-connector';
import { UserTokenClientImpl } from 'botframework-connector/lib/auth/userTokenClientImpl';
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';

export type BotAppType = 'SingleTenant' | 'UserAssignedMSI';

/** The resource every outbound token is for; as an OAuth scope it gets "/.default". */
const BOT_FRAMEWORK_RESOURCE = AuthenticationConstants.ToChannelFromBotOAuthScope;
const BOT_FRAMEWORK_SCOPE = `${BOT_FRAMEWORK_RESOURCE}/.default`;
const ENTRA_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export interface BotIdentity {
  appType: BotAppType;
  /** The Azure Bot's Microsoft app id: the app registration (SingleTenant) or the identity's client id (UserAssignedMSI). */
  appId: string;
  /** SingleTenant only: the client secret. */
  appPassword?: string;
  /** The tenant the bot's identity lives in (required for SingleTenant: its tokens come from there). */
  tenantId?: string;
  /** Entra ID's host; a local stand-in in tests. */
  authorityHost?: string;
  /** Where the Bot Framework publishes its signing keys; a local stand-in in tests. */
  openIdMetadataUrl?: string;
}

interface HeaderSettable {
  headers: { set(name: string, value: string): void };
}

/** Caches one token and renews it five minutes before it expires, so no call leaves with a dying token. */
class CachedToken {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(private readonly fetchToken: () => Promise<{ value: string; expiresAt: number }>) {}

  async get(): Promise<string> {
    if (this.token && this.token.expiresAt - 5 * 60_000 > Date.now()) return this.token.value;
    this.pending ??= this.fetchToken()
      .then((token) => {
        this.token = token;
        return token.value;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  async signRequest<T extends HeaderSettable>(webResource: T): Promise<T> {
    webResource.headers.set('authorization', `Bearer ${await this.get()}`);
    return webResource;
  }
}

/** Client credentials at the bot's own tenant (a single-tenant bot; the botframework.com tenant is for multi-tenant bots only). */
function singleTenantToken(identity: BotIdentity, doFetch: typeof fetch): CachedToken {
  const host = (identity.authorityHost ?? ENTRA_AUTHORITY_HOST).replace(/\/+$/, '');
  const tokenUrl = `${host}/${encodeURIComponent(identity.tenantId ?? '')}/oauth2/v2.0/token`;
  return new CachedToken(async () => {
    const response = await doFetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: identity.appId, client_secret: identity.appPassword ?? '', scope: BOT_FRAMEWORK_SCOPE }),
    });
    const json = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!response.ok || typeof json.access_token !== 'string') {
      throw new Error(`Entra ID refused the bot's token request (${response.status}${typeof json.error === 'string' ? `: ${json.error}` : ''}).`);
    }
    const seconds = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? 3600);
    return { value: json.access_token, expiresAt: Date.now() + seconds * 1000 };
  });
}

/** The user-assigned managed identity, from the App Service identity endpoint (IDENTITY_ENDPOINT, IDENTITY_HEADER). */
function managedIdentityToken(identity: BotIdentity): CachedToken {
  const application = new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: identity.appId } });
  return new CachedToken(async () => {
    const result = await application.acquireToken({ resource: BOT_FRAMEWORK_RESOURCE });
    return { value: result.accessToken, expiresAt: result.expiresOn?.getTime() ?? Date.now() + 3600_000 };
  });
}

/** Hands botbuilder the bot's one outbound credential, whichever way the bot was created. */
export class BotCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly token: CachedToken;

  constructor(
    private readonly identity: BotIdentity,
    doFetch: typeof fetch = fetch,
  ) {
    super();
    if (identity.appType === 'SingleTenant' && (!identity.appPassword || !identity.tenantId)) throw new Error('A single-tenant bot needs BOT_APP_PASSWORD and BOT_TENANT_ID.');
    this.token = identity.appType === 'SingleTenant' ? singleTenantToken(identity, doFetch) : managedIdentityToken(identity);
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.identity.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(appId: string): Promise<ServiceClientCredentials> {
    if (appId !== this.identity.appId) throw new AuthenticationError(`The bot has no credentials for the app id ${appId}.`, 401);
    return { signRequest: (webResource) => this.token.signRequest(webResource) };
  }
}

/**
 * botbuilder's authentication with the public cloud's settings, the metadata address aside.
 * Naming one setting switches botbuilder to "parameterized" mode, where every other one must be
 * named too, so they all are.
 */
export function createBotFrameworkAuthentication(identity: BotIdentity, credentials: BotCredentialsFactory): BotFrameworkAuthentication {
  // Only botbuilder's own credential factories read the login URL; ours carries its authority.
  const tenant = identity.tenantId ?? AuthenticationConstants.DefaultChannelAuthTenant;
  return new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: identity.appId,
      MicrosoftAppTenantId: tenant,
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: `${ENTRA_AUTHORITY_HOST}/${tenant}`,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: identity.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
    },
    credentials,
  );
}

/** No token at all: the local Bot Connector stand-in needs none. */
const anonymousCredentials: ServiceClientCredentials = {
  signRequest: async (webResource) => webResource,
};

export function isLoopbackUrl(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}

class LoopbackConnectorFactory extends ConnectorFactory {
  async create(serviceUrl: string): Promise<ConnectorClient> {
    if (!isLoopbackUrl(serviceUrl)) throw new Error('Without an app id the bot talks only to a local Bot Connector.');
    return new ConnectorClient(anonymousCredentials, { baseUri: serviceUrl });
  }
}

/** Local mode: no app id, activities only from loopback (checked by the caller), replies only to loopback. */
export class LocalBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly factory = new LoopbackConnectorFactory();

  anonymousResult(): AuthenticateRequestResult {
    return {
      audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
      claimsIdentity: new ClaimsIdentity([], AuthenticationConstants.AnonymousAuthType),
      connectorFactory: this.factory,
    };
  }

  async authenticateRequest(_activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    if (authHeader) throw new AuthenticationError('This bot has no app id, so it cannot check a token.', 401);
    return this.anonymousResult();
  }

  async authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new AuthenticationError('Streaming connections are not used by this bot.', 401);
  }

  createConnectorFactory(): ConnectorFactory {
    return this.factory;
  }

  async createUserTokenClient(): Promise<UserTokenClient> {
    return new UserTokenClientImpl('', anonymousCredentials, AuthenticationConstants.OAuthUrl);
  }
}

/** Errors botbuilder's validation raises for a token it refuses (as opposed to keys it could not fetch). */
export function isTokenRefusal(error: unknown): boolean {
  if (error instanceof AuthenticationError) return error.statusCode === 401;
  const name = error instanceof Error ? error.name : '';
  return name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError';
}
