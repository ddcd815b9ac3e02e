/**
 * Teams SSO token validation: one token per check, each failing only that check, against a
 * local keys server so the real key-fetching path is exercised.
 *
 * The keys server answers as Microsoft's v2.0 keys documents do ("Access tokens in the Microsoft
 * identity platform", https://learn.microsoft.com/entra/identity-platform/access-tokens, "Keys
 * document and signing key issuer"): "The `keys` documents exposed by Azure AD v2.0 contains, for
 * each key, the issuer that uses this signing key", e.g.
 * `{"kty":"RSA","use":"sig","kid":"…","n":"…","e":"AQAB","issuer":"https://login.microsoftonline.com/{tenantid}/v2.0"}`
 * beside a personal-account key whose issuer is
 * `https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`.
 * Claims as the access token claims reference names them: `ver` "2.0", `iss`
 * `https://login.microsoftonline.com/{tid}/v2.0`, `aud` ("In v2.0 tokens, this value is always the
 * client ID of the API"), `azp` (the client that asked), `scp`, `oid`, `tid`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createTeamsSsoVerifier, TEAMS_CLIENT_APP_IDS } from '../../../src/identity/teams-sso';
import { AppError } from '../../../src/domain/errors';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const APP_ID_URI = `api://smc.example.org/${CLIENT_ID}`;
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const OTHER_TENANT = 'ffffffff-0000-1111-2222-333333333333';
/** Personal Microsoft accounts' tenant, as the documentation's keys example names it. */
const CONSUMERS = '9188040d-6c67-4c5b-b112-36a304b66dad';
const TEAMS_DESKTOP = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
const NOW = new Date('2026-11-25T12:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

let server: Server;
let jwksUri: string;
let signingKey: KeyLike;
let strangerKey: KeyLike;
let consumerKey: KeyLike;
let issuerlessKey: KeyLike;
let otherTenantKey: KeyLike;
const fetched: string[] = [];

async function publicJwk(pair: { publicKey: KeyLike }, kid: string, issuer?: string): Promise<JWK> {
  return { ...(await exportJWK(pair.publicKey)), use: 'sig', kid, ...(issuer ? { issuer } : {}) };
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const consumer = await generateKeyPair('RS256');
  consumerKey = consumer.privateKey;
  const issuerless = await generateKeyPair('RS256');
  issuerlessKey = issuerless.privateKey;
  const otherTenant = await generateKeyPair('RS256');
  otherTenantKey = otherTenant.privateKey;
  const keys = [
    await publicJwk(pair, 'key-1', 'https://login.microsoftonline.com/{tenantid}/v2.0'),
    await publicJwk(consumer, 'key-consumers', `https://login.microsoftonline.com/${CONSUMERS}/v2.0`),
    await publicJwk(otherTenant, 'key-other-tenant', `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`),
    await publicJwk(issuerless, 'key-no-issuer'),
  ];
  server = createServer((req, res) => {
    fetched.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/{tenantid}/discovery/v2.0/keys`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const verifier = () => createTeamsSsoVerifier({ clientId: CLIENT_ID, allowedTenantIds: [TENANT], jwksUri, clockToleranceSeconds: 60, now: () => NOW });

interface TokenOptions {
  claims?: Record<string, unknown>;
  omit?: string[];
  kid?: string;
  key?: KeyLike;
}

function goodClaims(): Record<string, unknown> {
  return {
    ver: '2.0',
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: CLIENT_ID,
    azp: TEAMS_DESKTOP,
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

  it('fetches the keys document of the token’s own tenant', async () => {
    await verifier()(await token());
    expect(fetched).toContain(`/${TENANT}/discovery/v2.0/keys`);
  });

  it.each(TEAMS_CLIENT_APP_IDS)('accepts a token the Microsoft 365 host %s asked for', async (azp) => {
    await expect(verifier()(await token({ claims: { azp } }))).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('pre-authorises in the app registration exactly the hosts it accepts', () => {
    const manifest = JSON.parse(readFileSync(`${__dirname}/../../../aad.manifest.json`, 'utf8')) as { preAuthorizedApplications: { appId: string }[] };
    expect(manifest.preAuthorizedApplications.map((a) => a.appId).sort()).toEqual([...TEAMS_CLIENT_APP_IDS].sort());
  });

  it('rejects a token another app asked for (azp), and one that names none', async () => {
    await expectRejected(await token({ claims: { azp: 'deadbeef-0000-4000-8000-000000000000' } }), /issued to an app that may not call this one/);
    await expectRejected(await token({ omit: ['azp'] }), /issued to an app that may not call this one/);
  });

  it('rejects a token for the tenant signed with the personal accounts’ key', async () => {
    await expectRejected(await token({ kid: 'key-consumers', key: consumerKey }), /signing key belongs to another issuer/);
  });

  it('rejects a token signed with another tenant’s key', async () => {
    await expectRejected(await token({ kid: 'key-other-tenant', key: otherTenantKey }), /signing key belongs to another issuer/);
  });

  it('rejects a token whose key names no issuer', async () => {
    await expectRejected(await token({ kid: 'key-no-issuer', key: issuerlessKey }), /signing key names no issuer/);
  });

  it('rejects a version 1.0 token, and one that names no version', async () => {
    await expectRejected(await token({ claims: { ver: '1.0', iss: `https://sts.windows.net/${TENANT}/`, aud: APP_ID_URI } }), /not a version 2.0 token/);
    await expectRejected(await token({ omit: ['ver'] }), /not a version 2.0 token/);
  });

  it('rejects the v1 issuer on a version 2.0 token', async () => {
    await expectRejected(await token({ claims: { iss: `https://sts.windows.net/${TENANT}/` } }), /issued by an allowed tenant/);
  });

  it('rejects the application id URI as the audience of a version 2.0 token', async () => {
    await expectRejected(await token({ claims: { aud: APP_ID_URI } }), /not issued for this app/);
  });

  it('rejects a tenant id that is not a GUID', async () => {
    await expectRejected(await token({ claims: { tid: 'contoso.onmicrosoft.com', iss: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0' } }), /tenant is not allowed/);
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
