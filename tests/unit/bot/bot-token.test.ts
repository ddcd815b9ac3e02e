/**
 * Each check of Bot Connector token validation has a token that fails that check only:
 * everything else about it is what the real Bot Connector would send.
 */
import { SignJWT } from 'jose';
import { AppError } from '../../../src/domain/errors';
import { createBotTokenValidator } from '../../../src/identity/bot-token';
import { makeSigningKey, signConnectorToken, startKeyServer, type BotFrameworkKeyServer, type SigningKey } from '../../support/bot-framework-keys';

const APP_ID = '5f1c1e0a-0000-4000-8000-00000000b07a';
const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';
const activity = { channelId: 'msteams', serviceUrl: SERVICE_URL };

let server: BotFrameworkKeyServer;
let good: SigningKey;
let unendorsed: SigningKey;
let unpublished: SigningKey;

beforeAll(async () => {
  good = await makeSigningKey('key-good');
  unendorsed = await makeSigningKey('key-webchat-only', ['webchat']);
  unpublished = await makeSigningKey('key-unpublished');
  server = await startKeyServer([good, unendorsed]);
});
afterAll(() => server.close());

const validator = () => createBotTokenValidator({ appId: APP_ID, openIdMetadataUrl: server.metadataUrl });

async function rejection(authorization: string | undefined, facts = activity): Promise<string> {
  try {
    await validator()(authorization, facts);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unauthenticated');
    return (error as AppError).message;
  }
  throw new Error('the token was accepted');
}

describe('Bot Connector token validation', () => {
  it('accepts a token that passes every check', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, serviceUrl: SERVICE_URL });
    const result = await validator()(`Bearer ${token}`, activity);
    expect(result.serviceUrl).toBe(SERVICE_URL);
    expect(result.claims.aud).toBe(APP_ID);
  });

  it('refuses a request without a Bearer token', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID });
    expect(await rejection(undefined)).toMatch(/no Bearer token/);
    expect(await rejection(`Basic ${token}`)).toMatch(/no Bearer token/);
  });

  it('refuses the wrong issuer', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, issuer: 'https://sts.windows.net/evil/' });
    expect(await rejection(`Bearer ${token}`)).toMatch(/issuer/);
  });

  it('refuses a token issued for another bot (audience)', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, audience: 'another-bot' });
    expect(await rejection(`Bearer ${token}`)).toMatch(/not issued for this bot/);
  });

  it('refuses a token signed by a key that is not published', async () => {
    const token = await signConnectorToken({ key: unpublished, appId: APP_ID });
    expect(await rejection(`Bearer ${token}`)).toMatch(/not published/);
  });

  it('refuses a token whose signature does not verify with the published key it names', async () => {
    const token = await signConnectorToken({ key: unpublished, appId: APP_ID, kid: good.kid });
    expect(await rejection(`Bearer ${token}`)).toMatch(/signature/);
  });

  it('refuses a key not endorsed for the activity’s channel', async () => {
    const token = await signConnectorToken({ key: unendorsed, appId: APP_ID });
    expect(await rejection(`Bearer ${token}`)).toMatch(/not endorsed for the channel “msteams”/);
  });

  it('refuses an expired token beyond five minutes of clock skew, and allows within it', async () => {
    const expired = await signConnectorToken({ key: good, appId: APP_ID, expiresIn: -301 - 5 });
    expect(await rejection(`Bearer ${expired}`)).toMatch(/expired/);
    const withinSkew = await signConnectorToken({ key: good, appId: APP_ID, expiresIn: -120 });
    await expect(validator()(`Bearer ${withinSkew}`, activity)).resolves.toBeDefined();
  });

  it('refuses a serviceUrl claim that differs from the activity’s serviceUrl', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, serviceUrl: 'https://attacker.example/' });
    expect(await rejection(`Bearer ${token}`)).toMatch(/serviceurl claim does not match/);
  });

  it('refuses a token with no serviceUrl claim', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, serviceUrl: null });
    expect(await rejection(`Bearer ${token}`)).toMatch(/no serviceurl claim/);
  });

  it('reads the claim as the Bot Connector spells it: a camel-case serviceUrl claim alone is not enough', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, serviceUrl: null, extra: { serviceUrl: SERVICE_URL } });
    expect(await rejection(`Bearer ${token}`)).toMatch(/no serviceurl claim/);
  });

  it('refuses a token not signed with RS256', async () => {
    const token = await new SignJWT({ serviceurl: SERVICE_URL })
      .setProtectedHeader({ alg: 'HS256', kid: good.kid })
      .setIssuer('https://api.botframework.com')
      .setAudience(APP_ID)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-that-must-not-work-here'));
    expect(await rejection(`Bearer ${token}`)).toMatch(/not RS256/);
  });

  it('says the keys are unavailable when the metadata cannot be fetched', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID });
    const offline = createBotTokenValidator({ appId: APP_ID, openIdMetadataUrl: 'http://127.0.0.1:9/none' });
    await expect(offline(`Bearer ${token}`, activity)).rejects.toThrow(/signing keys are unavailable/);
  });

  it('fetches the metadata once and reuses the cached keys', async () => {
    const validate = validator();
    const before = server.metadataRequests;
    for (let i = 0; i < 3; i += 1) {
      const token = await signConnectorToken({ key: good, appId: APP_ID });
      await validate(`Bearer ${token}`, activity);
    }
    expect(server.metadataRequests - before).toBe(1);
  });
});
