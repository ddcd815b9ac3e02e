/**
 * Authentication both ways for the Bot Framework protocol, plugged into botbuilder's
 * CloudAdapter: inbound activities are checked by src/identity/bot-token.ts (our explicit,
 * strict validator); outbound calls to the Bot Connector carry a token obtained from Entra ID by
 * the client-credentials grant (scope https://api.botframework.com/.default). With no app id
 * (local mode) outbound calls carry no token and go only to loopback service URLs.
 */
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type UserTokenClient,
} from 'botframework-connector';
import { UserTokenClientImpl } from 'botframework-connector/lib/auth/userTokenClientImpl';
import type { Activity } from 'botbuilder';
import { AppError } from '../src/domain/errors';
import type { ActivityFacts, BotTokenClaims } from '../src/identity/bot-token';

export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';
const CHANNEL_AUDIENCE = AuthenticationConstants.ToChannelFromBotOAuthScope;

export interface OutboundCredentialsOptions {
  appId: string;
  appPassword: string;
  /** Single-tenant bots use their tenant; multi-tenant ones the botframework.com tenant. */
  tenantId?: string | null;
  /** Entra ID's token endpoint; defaults from the tenant. */
  tokenUrl?: string;
  fetch?: typeof fetch;
}

/** Signs each Bot Connector call with an app token, fetched once and reused until near expiry. */
export class ClientCredentials {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly tokenUrl: string;

  constructor(private readonly options: OutboundCredentialsOptions) {
    const tenant = options.tenantId || 'botframework.com';
    this.tokenUrl = options.tokenUrl ?? `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
  }

  async signRequest<T extends { headers: { set(name: string, value: string): void } }>(webResource: T): Promise<T> {
    webResource.headers.set('authorization', `Bearer ${await this.getToken()}`);
    return webResource;
  }

  async getToken(): Promise<string> {
    // Renewed five minutes before it expires, so a call never leaves with a dying token.
    if (this.token && this.token.expiresAt - 5 * 60_000 > Date.now()) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.appId,
      client_secret: this.options.appPassword,
      scope: BOT_FRAMEWORK_SCOPE,
    });
    const response = await (this.options.fetch ?? fetch)(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!response.ok || typeof json.access_token !== 'string') {
      throw new Error(`Entra ID refused the bot's token request (${response.status}${typeof json.error === 'string' ? `: ${json.error}` : ''}).`);
    }
    const seconds = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? 3600);
    this.token = { value: json.access_token, expiresAt: Date.now() + seconds * 1000 };
    return json.access_token;
  }
}

/** No token at all: the local Bot Connector stand-in needs none. */
const anonymousCredentials = {
  signRequest: async <T>(webResource: T): Promise<T> => webResource,
};

export function isLoopbackUrl(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}

class SmcConnectorFactory extends ConnectorFactory {
  constructor(private readonly credentials: ClientCredentials | null) {
    super();
  }

  async create(serviceUrl: string): Promise<ConnectorClient> {
    if (!this.credentials && !isLoopbackUrl(serviceUrl)) {
      throw new Error('Without an app id the bot talks only to a local Bot Connector.');
    }
    // The HTTP pipeline retries 5xx and network errors briefly within one attempt; the outbox
    // dispatcher's backoff and attempt limit sit above that.
    return new ConnectorClient(this.credentials ?? anonymousCredentials, { baseUri: serviceUrl });
  }
}

export interface BotAuthenticationOptions {
  appId: string | null;
  credentials: ClientCredentials | null;
  validateToken: ((authorization: string | undefined, activity: ActivityFacts) => Promise<BotTokenClaims>) | null;
}

export class SmcBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly factory: SmcConnectorFactory;

  constructor(private readonly options: BotAuthenticationOptions) {
    super();
    this.factory = new SmcConnectorFactory(options.credentials);
  }

  /** Claims for an activity that came in with a validated token, or from loopback in local mode. */
  resultFor(claims: BotTokenClaims | null): AuthenticateRequestResult {
    const appId = this.options.appId ?? '';
    const identity = claims
      ? new ClaimsIdentity(
          [
            { type: AuthenticationConstants.AudienceClaim, value: appId },
            { type: AuthenticationConstants.IssuerClaim, value: String(claims.claims.iss) },
            { type: AuthenticationConstants.ServiceUrlClaim, value: claims.serviceUrl },
          ],
          true,
        )
      : new ClaimsIdentity([], AuthenticationConstants.AnonymousAuthType);
    return { audience: CHANNEL_AUDIENCE, claimsIdentity: identity, connectorFactory: this.factory };
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    if (!this.options.validateToken) throw new AuthenticationError('This bot accepts unauthenticated activities only from loopback.', 401);
    try {
      return this.resultFor(await this.options.validateToken(authHeader, activity));
    } catch (error) {
      if (error instanceof AppError) throw new AuthenticationError(error.message, 401);
      throw error;
    }
  }

  async authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new AuthenticationError('Streaming connections are not used by this bot.', 401);
  }

  createConnectorFactory(): ConnectorFactory {
    return this.factory;
  }

  async createUserTokenClient(): Promise<UserTokenClient> {
    return new UserTokenClientImpl(this.options.appId ?? '', this.options.credentials ?? anonymousCredentials, AuthenticationConstants.OAuthUrl);
  }
}
