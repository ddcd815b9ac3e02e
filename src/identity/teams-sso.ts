/**
 * Validates the Teams SSO token the tab sends (authentication.getAuthToken), as Microsoft
 * documents for an API that accepts Entra ID access tokens: signature from the published
 * keys, RS256, issuer naming an allowed tenant, audience = this app, lifetime, the
 * `access_as_user` scope and the user's object id. Any failure is `unauthenticated`.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../domain/errors';

export interface TeamsSsoOptions {
  clientId: string;
  applicationIdUri?: string;
  allowedTenantIds: string[];
  jwksUri?: string;
  clockToleranceSeconds?: number;
  now?: () => Date;
}

export interface TeamsSsoIdentity {
  aadObjectId: string;
  tenantId: string;
  name?: string;
  preferredUsername?: string;
}

export const DEFAULT_JWKS_URI = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const REQUIRED_SCOPE = 'access_as_user';

export function createTeamsSsoVerifier(options: TeamsSsoOptions): (token: string) => Promise<TeamsSsoIdentity> {
  if (!options.clientId) throw new Error('Teams SSO needs the app’s client id.');
  if (options.allowedTenantIds.length === 0) throw new Error('Teams SSO needs at least one allowed tenant id.');
  const tenants = new Set(options.allowedTenantIds.map((t) => t.toLowerCase()));
  const audiences = [options.clientId, options.applicationIdUri].filter((a): a is string => Boolean(a));
  // The JWKS is cached and refreshed by jose when an unknown kid appears (key rollover).
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(options.jwksUri ?? DEFAULT_JWKS_URI));
  const now = options.now ?? (() => new Date());
  const tolerance = options.clockToleranceSeconds ?? 300;

  return async (token: string): Promise<TeamsSsoIdentity> => {
    const fail = (why: string): never => {
      throw new AppError('unauthenticated', `The Teams sign-in token was not accepted: ${why}.`);
    };
    if (typeof token !== 'string' || token.split('.').length !== 3) fail('it is not a signed token');

    // The tenant is read before verification only to build the expected issuer; the
    // signature check below then binds it, so a forged tid cannot pass.
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return fail('it cannot be read');
    }
    const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    if (!tid) fail('it names no tenant');
    if (!tenants.has(tid)) fail('its tenant is not allowed to use this app');
    const issuers = [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: issuers,
        audience: audiences,
        clockTolerance: tolerance,
        currentDate: now(),
        requiredClaims: ['exp', 'nbf', 'iat', 'iss', 'aud', 'tid'],
      }));
    } catch (error) {
      return fail(describe(error));
    }

    if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== tid) fail('its tenant is not allowed to use this app');
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
