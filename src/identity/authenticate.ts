/**
 * One bearer-token check for every API call. Local tokens (HS256, local mode only) and Teams SSO
 * tokens (RS256, validated by the Teams verifier) are told apart by their header, and each kind
 * is accepted only when that kind is configured: a token never falls through to a weaker check.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AppError } from '../domain/errors';
import type { Person } from '../domain/roles';
import type { Directory } from '../app/ports';
import type { LocalTokens } from './local-tokens';

export type TeamsSsoVerifier = (token: string) => Promise<{ aadObjectId: string; tenantId: string }>;

export interface AuthenticatorOptions {
  directory: Directory;
  local?: LocalTokens;
  teamsSso?: TeamsSsoVerifier;
  /** The clock a kept token's expiry is read against, in milliseconds. */
  now?: () => number;
}

const unauthenticated = (message: string) => new AppError('unauthenticated', message);

/** Who a verified token names: a person id (local) or an Entra object id (Teams SSO). */
type Identity = { personId: string } | { aadObjectId: string };

/** Enough verified tokens for every signed-in person's open tabs; beyond it the oldest is dropped. */
const MAX_VERIFIED_TOKENS = 10_000;

/**
 * Tokens already verified, kept until they expire, so the signature is checked once per token
 * rather than once per call. Only what the signature proves is kept: the person is still looked up
 * (and must still be active) on every call.
 */
function verifiedTokens(now: () => number) {
  const verified = new Map<string, { identity: Identity; expiresAt: number }>();
  return {
    get(token: string): Identity | undefined {
      const entry = verified.get(token);
      if (!entry) return undefined;
      if (entry.expiresAt > now()) return entry.identity;
      verified.delete(token);
      return undefined;
    },
    keep(token: string, identity: Identity): void {
      const { exp } = decodeJwt(token);
      if (typeof exp !== 'number') return;
      if (verified.size >= MAX_VERIFIED_TOKENS) {
        const oldest = verified.keys().next().value;
        if (oldest !== undefined) verified.delete(oldest);
      }
      verified.set(token, { identity, expiresAt: exp * 1000 });
    },
  };
}

export function createAuthenticator(options: AuthenticatorOptions) {
  const verified = verifiedTokens(options.now ?? Date.now);
  async function verify(token: string): Promise<Identity> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated('The token is not a valid JWT.');
    }
    let identity: Identity;
    if (alg === 'HS256' && options.local) {
      identity = { personId: await options.local.verify(token) };
    } else if (alg === 'RS256' && options.teamsSso) {
      identity = { aadObjectId: (await options.teamsSso(token)).aadObjectId };
    } else {
      throw unauthenticated('This kind of token is not accepted here.');
    }
    verified.keep(token, identity);
    return identity;
  }
  return async function authenticate(authorization: string | undefined): Promise<Person> {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization?.trim() ?? '');
    if (!match?.[1]) throw unauthenticated('Sign in first: send “Authorization: Bearer <token>”.');
    const token = match[1];
    const identity = verified.get(token) ?? (await verify(token));
    const person = 'personId' in identity ? await options.directory.get(identity.personId) : await options.directory.byAadObjectId(identity.aadObjectId);
    if (!person || !person.active) throw new AppError('forbidden', 'You are not registered to use Social Media Checks. Ask the administrator.');
    return person;
  };
}
