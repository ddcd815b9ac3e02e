/**
 * With an app id, /api/messages takes only activities carrying a valid Bot Connector token, and
 * the bot's own calls to the connector carry a token for https://api.botframework.com: from Entra
 * ID's client-credentials grant at the bot's tenant (a single-tenant bot), or from the App Service
 * managed identity endpoint (a user-assigned managed identity). Entra ID, the managed identity
 * endpoint and the Bot Framework's key endpoints are local stand-ins.
 */
import { ToBotFromBotOrEmulatorTokenValidationParameters as botbuilderIssuers } from 'botframework-connector/lib/auth/tokenValidationParameters';
import { createConversationStore, createStore, type SqlStore } from '../../../src/store';
import { makeSigningKey, signConnectorToken, startKeyServer, type BotFrameworkKeyServer, type SigningKey } from '../../support/bot-framework-keys';
import { startEntra, type EntraStandIn } from '../../support/entra-server';
import { conversationOf, startBotHarness, type BotHarness } from './harness';

const APP_ID = '0f7a4b77-7a3c-4f0c-9d0b-3f5e8c1a2b4d';
const APP_PASSWORD = 'test-only-secret';
const TENANT_ID = '3c9e1f4a-0000-4000-8000-00000000c0de';
const MSI_CLIENT_ID = '9b1d7e55-0000-4000-8000-0000000000f1';

let store: SqlStore;
let keys: BotFrameworkKeyServer;
let key: SigningKey;
let entra: EntraStandIn;
let h: BotHarness;

beforeAll(async () => {
  key = await makeSigningKey('bf-key-1');
  keys = await startKeyServer([key]);
  entra = await startEntra({
    client: { tenant: TENANT_ID, clientId: APP_ID, clientSecret: APP_PASSWORD, accessToken: 'single-tenant-token' },
    managedIdentity: { clientId: MSI_CLIENT_ID, accessToken: 'managed-identity-token' },
  });
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(async () => {
  await keys.close();
  await entra.close();
});
afterEach(async () => {
  await h.close();
  await store.close();
});

const signedFor = async (appId: string, activity: Record<string, unknown>) => ({ authorization: `Bearer ${await signConnectorToken({ key, appId, serviceUrl: String(activity.serviceUrl) })}` });

describe('a single-tenant bot', () => {
  beforeEach(async () => {
    store = await createStore({ dataDir: ':memory:' });
    h = await startBotHarness(store, { appType: 'SingleTenant', appId: APP_ID, appPassword: APP_PASSWORD, tenantId: TENANT_ID, openIdMetadataUrl: keys.metadataUrl, authorityHost: entra.authorityHost, allowUnauthenticatedLoopback: false });
  });

  it('refuses an activity without a token, even from loopback', async () => {
    const { status, body } = await h.post(h.activityFrom(h.people.tm, 'message', { text: 'help' }));
    expect(status).toBe(401);
    expect(body.error?.code).toBe('unauthenticated');
    expect(h.connector.calls).toHaveLength(0);
  });

  it('refuses a token whose serviceUrl differs from the activity’s', async () => {
    const activity = h.activityFrom(h.people.tm, 'message', { text: 'help' });
    const token = await signConnectorToken({ key, appId: APP_ID, serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    // "If the token doesn't satisfy all of these requirements, your bot should reject the request by returning an HTTP 403 (Forbidden)".
    expect((await h.post(activity, { authorization: `Bearer ${token}` })).status).toBe(403);
  });

  it('accepts a valid token and calls the connector with an app token from Entra ID', async () => {
    const activity = h.activityFrom(h.people.tm, 'installationUpdate', { action: 'add' });
    const { status } = await h.post(activity, await signedFor(APP_ID, activity));
    expect(status).toBe(200);
    expect(h.connector.calls[0]).toMatchObject({ method: 'POST', conversationId: conversationOf(h.people.tm), authorization: 'Bearer single-tenant-token' });
    const request = entra.tokenRequests.at(-1);
    // The authority is the bot's own tenant, never the botframework.com tenant of multi-tenant bots.
    expect(request?.tenant).toBe(TENANT_ID);
    expect(request?.form.get('grant_type')).toBe('client_credentials');
    expect(request?.form.get('client_id')).toBe(APP_ID);
    expect(request?.form.get('scope')).toBe('https://api.botframework.com/.default');
  });

  it('delivers proactive cards with the app token too', async () => {
    const install = h.activityFrom(h.people.tm, 'installationUpdate', { action: 'add' });
    await h.post(install, await signedFor(APP_ID, install));
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();
    const card = h.connector.calls.find((c) => JSON.stringify(c.activity).includes(request.id));
    expect(card?.authorization).toBe('Bearer single-tenant-token');
  });

  it('refuses a token the Bot Connector issued for another bot', async () => {
    const activity = h.activityFrom(h.people.tm, 'message', { text: 'help' });
    expect((await h.post(activity, await signedFor(MSI_CLIENT_ID, activity))).status).toBe(403);
  });

  it('refuses an activity from any channel but Teams, whoever it names (Web Chat lets its client say who it is)', async () => {
    const install = h.activityFrom(h.people.tm, 'installationUpdate', { action: 'add' });
    await h.post(install, await signedFor(APP_ID, install));
    const before = h.connector.calls.length;
    const webChat = h.activityFrom(h.people.tm, 'message', {
      text: 'waiting',
      channelId: 'webchat',
      from: { id: 'dl_attacker', aadObjectId: h.people.tm.aadObjectId },
      conversation: { id: 'wc-attacker-conv', conversationType: 'personal' },
      channelData: {},
    });
    // The key is endorsed for webchat too, so only the channel rule stops it.
    const { status, body } = await h.post(webChat, await signedFor(APP_ID, webChat));
    expect(status).toBe(403);
    expect(body.error).toEqual({ code: 'forbidden', message: 'The activity was refused: This bot takes activities from Microsoft Teams only.' });
    expect(h.connector.calls.length).toBe(before);
    expect((await createConversationStore(store.db).find(h.people.tm.aadObjectId))?.conversationId).toBe(conversationOf(h.people.tm));
  });

  it('refuses a Teams activity from another tenant, or naming none', async () => {
    for (const tenant of ['72f988bf-86f1-41af-91ab-2d7cd011db47', null]) {
      const activity = h.activityFrom(h.people.tm, 'message', {
        text: 'waiting',
        conversation: { id: conversationOf(h.people.tm), conversationType: 'personal', ...(tenant ? { tenantId: tenant } : {}) },
        channelData: tenant ? { tenant: { id: tenant } } : {},
      });
      const { status, body } = await h.post(activity, await signedFor(APP_ID, activity));
      expect({ tenant, status, message: body.error?.message }).toEqual({ tenant, status: 403, message: 'The activity was refused: The activity does not come from a tenant this bot serves.' });
    }
    expect(h.connector.calls).toHaveLength(0);
  });

  it('refuses a token of any issuer but the Bot Connector, however well signed, and never reaches botbuilder’s Emulator path', async () => {
    const issuers = botbuilderIssuers.issuer as string[];
    const known = issuers.length;
    const candidates = [
      { issuer: `https://sts.windows.net/${TENANT_ID}/`, extra: { tid: TENANT_ID, appid: APP_ID, ver: '1.0' } },
      { issuer: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`, extra: { tid: TENANT_ID, azp: APP_ID, ver: '2.0' } },
      { issuer: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/', extra: { appid: APP_ID, ver: '1.0' } },
      ...Array.from({ length: 20 }, (_, i) => ({ issuer: `https://sts.windows.net/${i}/`, extra: { tid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, appid: APP_ID, ver: '1.0' } })),
    ];
    for (const { issuer, extra } of candidates) {
      const activity = h.activityFrom(h.people.tm, 'message', { text: 'waiting' });
      const token = await signConnectorToken({ key, appId: APP_ID, serviceUrl: String(activity.serviceUrl), issuer, extra });
      const { status, body } = await h.post(activity, { authorization: `Bearer ${token}` });
      expect({ issuer, status, message: body.error?.message }).toEqual({ issuer, status: 403, message: 'The activity was refused: The token was not issued by the Bot Connector.' });
    }
    expect(h.connector.calls).toHaveLength(0);
    // botbuilder adds issuers for each token's tid on that path, for every request, unauthenticated.
    expect(issuers.length).toBe(known);
  });

  it('refuses a token that never expires', async () => {
    const activity = h.activityFrom(h.people.tm, 'message', { text: 'waiting' });
    const token = await signConnectorToken({ key, appId: APP_ID, serviceUrl: String(activity.serviceUrl), expiresIn: null });
    const { status, body } = await h.post(activity, { authorization: `Bearer ${token}` });
    expect({ status, message: body.error?.message }).toEqual({ status: 403, message: 'The activity was refused: The token has no expiry.' });
  });
});

describe('a bot with a user-assigned managed identity', () => {
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  beforeEach(async () => {
    // App Service sets these two for the app's code; MSAL reads them.
    process.env.IDENTITY_ENDPOINT = entra.identityEndpoint;
    process.env.IDENTITY_HEADER = entra.identityHeader;
    store = await createStore({ dataDir: ':memory:' });
    h = await startBotHarness(store, { appType: 'UserAssignedMSI', appId: MSI_CLIENT_ID, tenantId: TENANT_ID, openIdMetadataUrl: keys.metadataUrl, allowUnauthenticatedLoopback: false });
  });
  afterAll(() => {
    for (const [name, value] of [['IDENTITY_ENDPOINT', saved.endpoint], ['IDENTITY_HEADER', saved.header]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('accepts a token issued for the identity’s client id and answers with a token from the identity endpoint', async () => {
    const activity = h.activityFrom(h.people.tm, 'installationUpdate', { action: 'add' });
    const before = entra.tokenRequests.length;
    const { status } = await h.post(activity, await signedFor(MSI_CLIENT_ID, activity));
    expect(status).toBe(200);
    expect(h.connector.calls[0]?.authorization).toBe('Bearer managed-identity-token');
    const request = entra.managedIdentityRequests.at(-1);
    expect(request?.identityHeader).toBe(entra.identityHeader);
    expect(request?.query.get('api-version')).toBe('2019-08-01');
    expect(request?.query.get('resource')).toBe('https://api.botframework.com');
    expect(request?.query.get('client_id')).toBe(MSI_CLIENT_ID);
    // No client secret anywhere: Entra's token endpoint was not asked.
    expect(entra.tokenRequests.length).toBe(before);
  });

  it('refuses a token issued for another app id', async () => {
    const activity = h.activityFrom(h.people.tm, 'message', { text: 'help' });
    expect((await h.post(activity, await signedFor(APP_ID, activity))).status).toBe(403);
  });
});
