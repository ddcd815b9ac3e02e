/**
 * Validates the token the Bot Connector sends with each activity, step by step as Microsoft
 * documents for "Bot Connector to bot" authentication: a Bearer token, RS256 signed by a key
 * published in the OpenID metadata's JWKS, that key endorsed for the activity's channel,
 * issuer https://api.botframework.com, audience = this bot's app id, within its lifetime
 * (5 minutes' clock skew), and a `serviceurl` claim (spelt in lower case, as the Bot Connector
 * issues it and botbuilder's AuthenticationConstants.ServiceUrlClaim reads it) equal to the
 * activity's serviceUrl.
 * Every failure is AppError('unauthenticated') naming the check that failed.
 */
import { decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWK, type JWTPayload, type KeyLike } from 'jose';
import { AppError } from '../domain/errors';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const BOT_FRAMEWORK_OPENID_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';

export interface BotTokenOptions {
  /** The bot's Microsoft app id: the only audience accepted. */
  appId: string;
  openIdMetadataUrl?: string;
  issuer?: string;
  clockToleranceSeconds?: number;
  /** How long the signing keys are trusted before they are fetched again. */
  keyCacheSeconds?: number;
  now?: () => Date;
  fetch?: typeof fetch;
}

export interface ActivityFacts {
  channelId?: string | null;
  serviceUrl?: string | null;
}

export interface BotTokenClaims {
  appId: string;
  serviceUrl: string;
  claims: JWTPayload;
}

/** A published key with the channels it is endorsed for (Bot Framework's JWKS extension). */
type EndorsedJwk = JWK & { kid?: string; endorsements?: unknown };

const MIN_REFRESH_INTERVAL_MS = 5 * 60_000;

export function createBotTokenValidator(options: BotTokenOptions): (authorization: string | undefined, activity: ActivityFacts) => Promise<BotTokenClaims> {
  if (!options.appId) throw new Error('Bot token validation needs the bot’s app id.');
  const metadataUrl = options.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA_URL;
  const issuer = options.issuer ?? BOT_FRAMEWORK_ISSUER;
  const tolerance = options.clockToleranceSeconds ?? 300;
  const cacheMs = (options.keyCacheSeconds ?? 24 * 3600) * 1000;
  const now = options.now ?? (() => new Date());
  const doFetch = options.fetch ?? fetch;

  let keys: EndorsedJwk[] = [];
  let fetchedAt = 0;
  let inFlight: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    const metadata = await getJson(doFetch, metadataUrl);
    const jwksUri = typeof metadata.jwks_uri === 'string' ? metadata.jwks_uri : '';
    if (!jwksUri) throw new Error('The OpenID metadata has no jwks_uri.');
    const jwks = await getJson(doFetch, jwksUri);
    keys = Array.isArray(jwks.keys) ? (jwks.keys as EndorsedJwk[]) : [];
    fetchedAt = Date.now();
  }

  async function ensureKeys(force: boolean): Promise<void> {
    const age = Date.now() - fetchedAt;
    const stale = fetchedAt === 0 || age > cacheMs;
    // An unknown kid forces a refresh (key rollover), but at most every few minutes so that
    // tokens with made-up kids cannot make us hammer the metadata endpoint.
    if (!stale && !(force && age > MIN_REFRESH_INTERVAL_MS)) return;
    inFlight ??= refresh().finally(() => {
      inFlight = null;
    });
    await inFlight;
  }

  return async (authorization, activity) => {
    const fail = (why: string): never => {
      throw new AppError('unauthenticated', `The Bot Connector token was not accepted: ${why}.`);
    };
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
    const token = match?.[1] ?? fail('no Bearer token was sent');

    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256') fail(`it is signed with ${String(header.alg)}, not RS256`);
      kid = header.kid;
    } catch (error) {
      if (error instanceof AppError) throw error;
      fail('its header cannot be read');
    }
    if (!kid) fail('it names no signing key');

    const findKey = () => keys.find((k) => k.kid === kid);
    try {
      await ensureKeys(false);
      if (!findKey()) await ensureKeys(true);
    } catch {
      throw new AppError('unauthenticated', 'The Bot Connector token could not be checked: the signing keys are unavailable.');
    }
    const jwk = findKey() ?? fail('its signing key is not published in the Bot Framework metadata');

    const channelId = activity.channelId?.trim();
    if (channelId) {
      const endorsements = Array.isArray(jwk.endorsements) ? jwk.endorsements : [];
      if (!endorsements.includes(channelId)) fail(`its signing key is not endorsed for the channel “${channelId}”`);
    }

    let key: KeyLike | Uint8Array;
    try {
      key = await importJWK({ ...jwk, alg: 'RS256' }, 'RS256');
    } catch {
      return fail('its signing key cannot be used');
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        issuer,
        audience: options.appId,
        clockTolerance: tolerance,
        currentDate: now(),
        requiredClaims: ['iss', 'aud', 'exp'],
      }));
    } catch (error) {
      return fail(describe(error));
    }

    const claimed = typeof payload.serviceurl === 'string' ? payload.serviceurl : fail('it has no serviceurl claim');
    if (!activity.serviceUrl || claimed !== activity.serviceUrl) fail('its serviceurl claim does not match the activity’s serviceUrl');
    return { appId: options.appId, serviceUrl: claimed, claims: payload };
  };
}

async function getJson(doFetch: typeof fetch, url: string): Promise<Record<string, unknown>> {
  const response = await doFetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null) throw new Error(`${url} did not return a JSON object`);
  return body as Record<string, unknown>;
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'its issuer is not the Bot Framework';
    if (error.claim === 'aud') return 'it was not issued for this bot';
    if (error.claim === 'nbf') return 'it is not valid yet';
    return `its ${error.claim} claim is not acceptable`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  return 'it is not a valid signed token';
}
