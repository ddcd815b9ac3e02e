/**
 * One bearer-token check for every API call. Local tokens (HS256, local mode only) and Teams SSO
 * tokens (RS256, validated by the Teams verifier) are told apart by their header, and each kind
 * is accepted only when that kind is configured: a token never falls through to a weaker check.
 */
import { decodeProtectedHeader } from 'jose';
import { AppError } from '../domain/errors';
import type { Person } from '../domain/roles';
import type { Directory } from '../app/ports';
import type { LocalTokens } from './local-tokens';

export type TeamsSsoVerifier = (token: string) => Promise<{ aadObjectId: string; tenantId: string }>;

export interface AuthenticatorOptions {
  directory: Directory;
  local?: LocalTokens;
  teamsSso?: TeamsSsoVerifier;
}

const unauthenticated = (message: string) => new AppError('unauthenticated', message);

export function createAuthenticator(options: AuthenticatorOptions) {
  return async function authenticate(authorization: string | undefined): Promise<Person> {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization?.trim() ?? '');
    if (!match?.[1]) throw unauthenticated('Sign in first: send “Authorization: Bearer <token>”.');
    const token = match[1];
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated('The token is not a valid JWT.');
    }
    let person: Person | null;
    if (alg === 'HS256' && options.local) {
      person = await options.directory.get(await options.local.verify(token));
    } else if (alg === 'RS256' && options.teamsSso) {
      const { aadObjectId } = await options.teamsSso(token);
      person = await options.directory.byAadObjectId(aadObjectId);
    } else {
      throw unauthenticated('This kind of token is not accepted here.');
    }
    if (!person || !person.active) throw new AppError('forbidden', 'You are not registered to use Social Media Checks. Ask the administrator.');
    return person;
  };
}
