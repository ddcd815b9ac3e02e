/**
 * Local sign-in: tokens signed with a key kept in DATA_DIR, for local mode only. The server
 * refuses to start with local sign-in in production (src/server/config.ts).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
  const existing = await readKey(file);
  if (existing) return existing;
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  // Written aside, then linked into place, which fails if the key already exists: instances
  // starting together on one data directory must agree on one key, or tokens from one are refused
  // by the other. The loser reads the winner's key, which is whole by then.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, key.toString('hex'), { mode: 0o600 });
  try {
    await link(draft, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const written = await readKey(file);
    if (written) return written;
    // An unreadable key from an earlier run is replaced, as before.
    await rename(draft, file);
    return key;
  } finally {
    await rm(draft, { force: true });
  }
}

async function readKey(file: string): Promise<Uint8Array | null> {
  try {
    const hex = (await readFile(file, 'utf8')).trim();
    return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
  } catch {
    return null;
  }
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
