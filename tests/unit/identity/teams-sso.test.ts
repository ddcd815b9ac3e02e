/**
 * Teams SSO token validation: one token per check, each failing only that check, against a
 * local JWKS server so the real key-fetching path is exercised.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createTeamsSsoVerifier } from '../../../src/identity/teams-sso';
import { AppError } from '../../../src/domain/errors';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const APP_ID_URI = `api://smc.example.org/${CLIENT_ID}`;
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const OTHER_TENANT = 'ffffffff-0000-1111-2222-333333333333';
const NOW = new Date('2026-11-25T12:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

let server: Server;
let jwksUri: string;
let signingKey: KeyLike;
let strangerKey: KeyLike;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const verifier = () =>
  createTeamsSsoVerifier({ clientId: CLIENT_ID, applicationIdUri: APP_ID_URI, allowedTenantIds: [TENANT], jwksUri, clockToleranceSeconds: 60, now: () => NOW });

interface TokenOptions {
  claims?: Record<string, unknown>;
  omit?: string[];
  kid?: string;
  key?: KeyLike;
}

function goodClaims(): Record<string, unknown> {
  return {
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: APP_ID_URI,
    tid: TENANT,
    oid: '0a0a0a0a-1b1b-2c2c-3d3d-4e4e4e4e4e4e',
    scp: 'access_as_user',
    name: 'Sam Worker',
    preferred_username: 'sam.worker@council.example',
    iat: nowSeconds - 60,
    nbf: nowSeconds - 60,
    exp: nowSeconds + 3600,
  };
}

async function token(options: TokenOptions = {}): Promise<string> {
  const claims = { ...goodClaims(), ...options.claims };
  for (const name of options.omit ?? []) delete claims[name];
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1', typ: 'JWT' }).sign(options.key ?? signingKey);
}

function unsigned(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  const part = (o: Record<string, unknown>) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part(header)}.${part(claims)}.${signature}`;
}

async function expectRejected(tokenValue: string, message: RegExp): Promise<void> {
  const error: unknown = await verifier()(tokenValue).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('unauthenticated');
  expect((error as AppError).message).toMatch(message);
}

describe('Teams SSO verifier', () => {
  it('accepts a valid token and returns the user', async () => {
    await expect(verifier()(await token())).resolves.toEqual({
      aadObjectId: '0a0a0a0a-1b1b-2c2c-3d3d-4e4e4e4e4e4e',
      tenantId: TENANT,
      name: 'Sam Worker',
      preferredUsername: 'sam.worker@council.example',
    });
  });

  it('accepts the v1 issuer and the client id as audience', async () => {
    const t = await token({ claims: { iss: `https://sts.windows.net/${TENANT}/`, aud: CLIENT_ID } });
    await expect(verifier()(t)).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('rejects a bad signature', async () => {
    const good = await token();
    const [h, p] = good.split('.');
    const forged = await token({ key: strangerKey });
    await expectRejected(`${h}.${p}.${forged.split('.')[2]}`, /signature/);
  });

  it('rejects a token signed with an unknown key id', async () => {
    await expectRejected(await token({ kid: 'key-unknown', key: strangerKey }), /unknown key/);
  });

  it('rejects a wrong issuer', async () => {
    await expectRejected(await token({ claims: { iss: `https://evil.example/${TENANT}/v2.0` } }), /issued by an allowed tenant/);
  });

  it('rejects a tenant not in the allow-list', async () => {
    const t = await token({ claims: { tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` } });
    await expectRejected(t, /tenant is not allowed/);
  });

  it('rejects a token with no tenant', async () => {
    await expectRejected(await token({ omit: ['tid'] }), /no tenant/);
  });

  it('rejects a wrong audience', async () => {
    await expectRejected(await token({ claims: { aud: 'api://another-app' } }), /not issued for this app/);
  });

  it('rejects an expired token', async () => {
    await expectRejected(await token({ claims: { exp: nowSeconds - 3600 } }), /expired/);
  });

  it('rejects a token that is not valid yet', async () => {
    await expectRejected(await token({ claims: { nbf: nowSeconds + 3600 } }), /not valid yet/);
  });

  it('rejects a token without an expiry', async () => {
    await expectRejected(await token({ omit: ['exp'] }), /exp/);
  });

  it('rejects a token without the access_as_user scope', async () => {
    await expectRejected(await token({ claims: { scp: 'User.Read' } }), /access_as_user/);
  });

  it('rejects a token with no scope claim at all', async () => {
    await expectRejected(await token({ omit: ['scp'] }), /access_as_user/);
  });

  it('rejects a token without an oid', async () => {
    await expectRejected(await token({ omit: ['oid'] }), /oid/);
  });

  it('rejects alg none', async () => {
    await expectRejected(unsigned({ alg: 'none', typ: 'JWT' }, goodClaims()), /algorithm/);
  });

  it('rejects HS256 (a symmetric key must never be accepted)', async () => {
    const t = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
    await expectRejected(t, /algorithm/);
  });

  it('rejects something that is not a JWT', async () => {
    await expectRejected('not-a-token', /not a signed token/);
  });
});
