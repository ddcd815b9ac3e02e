/**
 * Local sign-in: tokens signed with a key kept in DATA_DIR, for local mode only. The server
 * refuses to start with local sign-in in production (src/server/config.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { AppError } from '../domain/errors';

export const LOCAL_ISSUER = 'social-media-checks/local';
export const LOCAL_AUDIENCE = 'social-media-checks';

export interface LocalTokens {
  issue(personId: string): Promise<string>;
  verify(token: string): Promise<string>;
}

export async function loadLocalSigningKey(dataDir: string): Promise<Uint8Array> {
  if (dataDir === ':memory:') return randomBytes(32);
  const file = path.join(dataDir, 'local-signing.key');
  try {
    const hex = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  } catch {
    // No key yet: make one below.
  }
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

export function createLocalTokens(key: Uint8Array, lifetimeSeconds = 12 * 3600): LocalTokens {
  return {
    async issue(personId) {
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(personId)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${lifetimeSeconds}s`)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, requiredClaims: ['sub', 'exp'] });
        if (!payload.sub) throw new Error('no subject');
        return payload.sub;
      } catch {
        throw new AppError('unauthenticated', 'Your sign-in is not valid or has expired. Sign in again.');
      }
    },
  };
}
