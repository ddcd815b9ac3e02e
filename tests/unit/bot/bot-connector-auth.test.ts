/**
 * Inbound Bot Connector tokens, checked by botbuilder's ConfigurationBotFrameworkAuthentication
 * as bot/auth.ts configures it, against a local stand-in for the Bot Framework's OpenID metadata.
 * One test per check that "Authentication with the Bot Connector API" lists (step 4, "Verify the
 * JWT token"), each with a token that fails that check alone: everything else about it is what the
 * real Bot Connector would send.
 */
import { SignJWT } from 'jose';
import type { Activity } from 'botbuilder';
import { BotCredentialsFactory, createBotFrameworkAuthentication, isTokenRefusal, type BotIdentity } from '../../../bot/auth';
import { makeSigningKey, signConnectorToken, startKeyServer, type BotFrameworkKeyServer, type SigningKey } from '../../support/bot-framework-keys';

const APP_ID = '5f1c1e0a-0000-4000-8000-00000000b07a';
const TENANT_ID = '7d3e2c1b-0000-4000-8000-0000000000aa';
const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';
const activity = { type: 'message', channelId: 'msteams', serviceUrl: SERVICE_URL } as Activity;

let server: BotFrameworkKeyServer;
let good: SigningKey;
let unendorsed: SigningKey;
let unpublished: SigningKey;

beforeAll(async () => {
  good = await makeSigningKey('key-good');
  unendorsed = await makeSigningKey('key-webchat-only', ['webchat']);
  unpublished = await makeSigningKey('key-unpublished');
  server = await startKeyServer([good, unendorsed]);
  // botbuilder logs every refused token to the console; the assertions below are what matters.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => server.close());

function authentication() {
  const identity: BotIdentity = { appType: 'SingleTenant', appId: APP_ID, appPassword: 'unused-here', tenantId: TENANT_ID, openIdMetadataUrl: server.metadataUrl };
  return createBotFrameworkAuthentication(identity, new BotCredentialsFactory(identity));
}

async function accepted(authorization: string, facts: Activity = activity): Promise<boolean> {
  try {
    await authentication().authenticateRequest(facts, authorization);
    return true;
  } catch (error) {
    expect(isTokenRefusal(error)).toBe(true);
    return false;
  }
}

describe('Bot Connector to bot: "Verify the JWT token"', () => {
  it('accepts a token that passes every check, with the claims botbuilder hands the turn', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, serviceUrl: SERVICE_URL });
    const result = await authentication().authenticateRequest(activity, `Bearer ${token}`);
    expect(result.claimsIdentity.getClaimValue('aud')).toBe(APP_ID);
    expect(result.claimsIdentity.getClaimValue('serviceurl')).toBe(SERVICE_URL);
    expect(result.audience).toBe('https://api.botframework.com');
  });

  // "The token was sent in the HTTP Authorization header with Bearer scheme."
  it('refuses a request without a Bearer token', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID });
    expect(await accepted('')).toBe(false);
    expect(await accepted(`Basic ${token}`)).toBe(false);
  });

  // "The token is valid JSON that conforms to the JWT standard."
  it('refuses something that is not a JWT', async () => {
    expect(await accepted('Bearer not.a-jwt.at-all')).toBe(false);
  });

  // "The token contains an "issuer" claim with value of https://api.botframework.com."
  it('refuses another issuer (iss)', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, issuer: 'https://sts.windows.net/another-tenant/' });
    expect(await accepted(`Bearer ${token}`)).toBe(false);
  });

  // "The token contains an "audience" claim with a value equal to the bot's Microsoft App ID."
  it('refuses a token for another bot (aud)', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, audience: 'another-bot' });
    expect(await accepted(`Bearer ${token}`)).toBe(false);
  });

  // "The token is within its validity period. Industry-standard clock-skew is 5 minutes."
  it('refuses an expired token beyond five minutes of clock skew, and allows one within it (exp)', async () => {
    const expired = await signConnectorToken({ key: good, appId: APP_ID, expiresIn: -306 });
    expect(await accepted(`Bearer ${expired}`)).toBe(false);
    const withinSkew = await signConnectorToken({ key: good, appId: APP_ID, expiresIn: -120 });
    expect(await accepted(`Bearer ${withinSkew}`)).toBe(true);
  });

  it('refuses a token not valid yet beyond five minutes of clock skew, and allows one within it (nbf)', async () => {
    const early = await signConnectorToken({ key: good, appId: APP_ID, notBefore: 306 });
    expect(await accepted(`Bearer ${early}`)).toBe(false);
    const withinSkew = await signConnectorToken({ key: good, appId: APP_ID, notBefore: 120 });
    expect(await accepted(`Bearer ${withinSkew}`)).toBe(true);
  });

  // "The token has a valid cryptographic signature, with a key listed in the OpenID keys document
  // that was retrieved in Step 3, using the signing algorithm specified in the
  // id_token_signing_alg_values_supported property of the Open ID Metadata document ..."
  it('refuses a token signed by a key that is not published', async () => {
    const token = await signConnectorToken({ key: unpublished, appId: APP_ID });
    expect(await accepted(`Bearer ${token}`)).toBe(false);
  });

  it('refuses a signature that does not verify with the published key it names', async () => {
    const token = await signConnectorToken({ key: unpublished, appId: APP_ID, kid: good.kid });
    expect(await accepted(`Bearer ${token}`)).toBe(false);
  });

  it('refuses a token signed with a shared secret instead of RSA', async () => {
    const token = await new SignJWT({ serviceurl: SERVICE_URL })
      .setProtectedHeader({ alg: 'HS256', kid: good.kid })
      .setIssuer('https://api.botframework.com')
      .setAudience(APP_ID)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-that-must-not-work-here'));
    expect(await accepted(`Bearer ${token}`)).toBe(false);
  });

  // Step 3: "The endorsements property within each key contains one or more endorsement strings
  // which you can use to verify that the channel ID specified in the channelId property within the
  // Activity object of the incoming request is authentic."
  it('refuses a key not endorsed for the activity’s channel', async () => {
    const token = await signConnectorToken({ key: unendorsed, appId: APP_ID });
    expect(await accepted(`Bearer ${token}`)).toBe(false);
    expect(await accepted(`Bearer ${token}`, { ...activity, channelId: 'webchat' } as Activity)).toBe(true);
  });

  // "The token contains a "serviceUrl" claim with value that matches the serviceUrl property at the
  // root of the Activity object of the incoming request."
  it('refuses a serviceurl claim that differs from the activity’s serviceUrl', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, serviceUrl: 'https://attacker.example/' });
    expect(await accepted(`Bearer ${token}`)).toBe(false);
  });

  it('refuses a token with no serviceurl claim', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, serviceUrl: null });
    expect(await accepted(`Bearer ${token}`)).toBe(false);
  });

  it('reads the claim as the Bot Connector spells it: a camel-case serviceUrl claim alone is not enough', async () => {
    const token = await signConnectorToken({ key: good, appId: APP_ID, serviceUrl: null, extra: { serviceUrl: SERVICE_URL } });
    expect(await accepted(`Bearer ${token}`)).toBe(false);
  });
});

describe('the signing keys', () => {
  it('are fetched once and reused', async () => {
    const before = server.metadataRequests;
    for (let i = 0; i < 3; i += 1) {
      const token = await signConnectorToken({ key: good, appId: APP_ID });
      expect(await accepted(`Bearer ${token}`)).toBe(true);
    }
    expect(server.metadataRequests - before).toBeLessThanOrEqual(1);
  });

  it('that cannot be fetched are not a refusal of the token: the caller answers 5xx and the connector retries', async () => {
    const identity: BotIdentity = { appType: 'SingleTenant', appId: APP_ID, appPassword: 'unused-here', tenantId: TENANT_ID, openIdMetadataUrl: 'http://127.0.0.1:9/none' };
    const offline = createBotFrameworkAuthentication(identity, new BotCredentialsFactory(identity));
    const token = await signConnectorToken({ key: good, appId: APP_ID });
    const failure = await offline.authenticateRequest(activity, `Bearer ${token}`).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).not.toBeNull();
    expect(isTokenRefusal(failure)).toBe(false);
  });
});
