/**
 * Validates the Teams SSO token the tab sends (authentication.getAuthToken), as Microsoft
 * documents for an API that accepts Entra ID access tokens ("Access tokens in the Microsoft
 * identity platform" and "Secure applications and APIs by validating claims"): a v2.0 token
 * (aad.manifest.json sets `accessTokenAcceptedVersion: 2`), signed RS256 by a key from the tenant's
 * own keys document whose `issuer` is the token's, issued by an allowed tenant for this app
 * (`aud` = its client id) to one of the Microsoft 365 hosts that may ask for it (`azp`), in its
 * lifetime, with the `access_as_user` scope and the user's object id. Any failure is
 * `unauthenticated`; no check is skipped because a claim is missing.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyResult } from 'jose';
import { AppError } from '../domain/errors';

export interface TeamsSsoOptions {
  clientId: string;
  allowedTenantIds: string[];
  /** The keys document; `{tenantid}` is replaced by the token's tenant. */
  jwksUri?: string;
  /** The client apps that may ask for this app's token; Microsoft's Teams and Microsoft 365 hosts by default. */
  clientAppIds?: readonly string[];
  clockToleranceSeconds?: number;
  now?: () => Date;
}

export interface TeamsSsoIdentity {
  aadObjectId: string;
  tenantId: string;
  name?: string;
  preferredUsername?: string;
}

/**
 * Each tenant's own keys: the app is single-tenant (`signInAudience: AzureADMyOrg`), for which
 * Microsoft points to tenant-specific metadata; the tenant-independent list also holds the keys
 * of personal Microsoft accounts.
 */
export const DEFAULT_JWKS_URI = 'https://login.microsoftonline.com/{tenantid}/discovery/v2.0/keys';

/**
 * The Microsoft 365 hosts that ask for the tab's token, as Teams' "Register your app in Microsoft
 * Entra ID" lists them, and as aad.manifest.json pre-authorises them: Teams desktop and mobile,
 * Teams web, Microsoft 365 web, Microsoft 365 desktop, Microsoft 365 mobile and Outlook desktop,
 * Outlook web, Outlook mobile.
 */
export const TEAMS_CLIENT_APP_IDS: readonly string[] = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
  '4765445b-32c6-49b0-83e6-1d93765276ca',
  '0ec893e0-5785-4de6-99da-4ed124e5296c',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
  '27922004-5251-4030-b22d-91ecd9a37ea4',
];

const REQUIRED_SCOPE = 'access_as_user';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TENANT_PLACEHOLDER = /\{tenantid\}/gi;

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;

/** The `issuer` Microsoft's keys documents give each key (not a registered JWK member, so not in jose's type). */
const issuerOf = (key: object): string | null => ('issuer' in key && typeof key.issuer === 'string' ? key.issuer : null);

export function createTeamsSsoVerifier(options: TeamsSsoOptions): (token: string) => Promise<TeamsSsoIdentity> {
  if (!options.clientId) throw new Error('Teams SSO needs the app’s client id.');
  if (options.allowedTenantIds.length === 0) throw new Error('Teams SSO needs at least one allowed tenant id.');
  const tenants = new Set(options.allowedTenantIds.map((t) => t.toLowerCase()));
  const clientApps = new Set((options.clientAppIds ?? TEAMS_CLIENT_APP_IDS).map((a) => a.toLowerCase()));
  const jwksUri = options.jwksUri ?? DEFAULT_JWKS_URI;
  // One cached key set per tenant; jose refetches it when an unknown kid appears (key rollover).
  const keySets = new Map<string, RemoteKeys>();
  const keysFor = (tid: string): RemoteKeys => {
    let keys = keySets.get(tid);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(jwksUri.replace(TENANT_PLACEHOLDER, tid)));
      keySets.set(tid, keys);
    }
    return keys;
  };
  const now = options.now ?? (() => new Date());
  const tolerance = options.clockToleranceSeconds ?? 300;

  return async (token: string): Promise<TeamsSsoIdentity> => {
    const fail = (why: string): never => {
      throw new AppError('unauthenticated', `The Teams sign-in token was not accepted: ${why}.`);
    };
    if (typeof token !== 'string' || token.split('.').length !== 3) fail('it is not a signed token');

    // The tenant is read before verification only to choose its keys and expected issuer; the
    // signature and the key's own issuer then bind it, so a forged tid cannot pass.
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return fail('it cannot be read');
    }
    const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    if (!tid) fail('it names no tenant');
    if (!GUID.test(tid) || !tenants.has(tid)) fail('its tenant is not allowed to use this app');
    if (unverified.ver !== '2.0') fail('it is not a version 2.0 token (the app registration must set accessTokenAcceptedVersion to 2)');

    const keys = keysFor(tid);
    let verified: JWTVerifyResult;
    try {
      verified = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: `https://login.microsoftonline.com/${tid}/v2.0`,
        audience: options.clientId,
        clockTolerance: tolerance,
        currentDate: now(),
        requiredClaims: ['exp', 'nbf', 'iat', 'iss', 'aud', 'tid', 'ver'],
      });
    } catch (error) {
      return fail(describe(error));
    }
    const { payload, protectedHeader } = verified;

    if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== tid) fail('its tenant is not allowed to use this app');
    // "Validate the signing key issuer": a key serves only the issuer its keys document names.
    const matching = (keys.jwks()?.keys ?? []).filter((k) => k.kid !== undefined && k.kid === protectedHeader.kid);
    const published = matching.length === 1 && matching[0] ? issuerOf(matching[0]) : null;
    if (published === null) fail('its signing key names no issuer');
    const keyIssuer = published?.replace(TENANT_PLACEHOLDER, tid);
    if (keyIssuer !== payload.iss) fail('its signing key belongs to another issuer');
    const azp = typeof payload.azp === 'string' ? payload.azp.toLowerCase() : '';
    if (!clientApps.has(azp)) fail('it was issued to an app that may not call this one');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(REQUIRED_SCOPE)) fail(`it lacks the ${REQUIRED_SCOPE} scope`);
    if (typeof payload.oid !== 'string' || payload.oid.length === 0) fail('it names no user (oid)');

    return {
      aadObjectId: payload.oid as string,
      tenantId: tid,
      ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
      ...(typeof payload.preferred_username === 'string' ? { preferredUsername: payload.preferred_username } : {}),
    };
  };
}
/** A short, safe reason from jose's error codes (no token content is echoed). */
function describe(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const claim = typeof error === 'object' && error !== null && 'claim' in error ? String((error as { claim: unknown }).claim) : '';
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'it has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'nbf') return 'it is not valid yet';
      if (claim === 'iss') return 'it was not issued by an allowed tenant';
      if (claim === 'aud') return 'it was not issued for this app';
      return `its ${claim || 'claims'} did not validate`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'its signature is not valid';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'it was signed with an unknown key';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'it uses a signing algorithm that is not allowed';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return 'the signing keys could not be fetched';
    default:
      return 'it is not valid';
  }
}
