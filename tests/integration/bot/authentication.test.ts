/**
 * With an app id, /api/messages takes only activities carrying a valid Bot Connector token, and
 * the bot's own calls to the connector carry an Entra ID token from the client-credentials grant.
 * Entra ID and the Bot Framework's key endpoints are local stand-ins.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStore, type SqlStore } from '../../../src/store';
import { makeSigningKey, signConnectorToken, startKeyServer, type BotFrameworkKeyServer, type SigningKey } from '../../support/bot-framework-keys';
import { conversationOf, startBotHarness, type BotHarness } from './harness';

const APP_ID = '0f7a4b77-7a3c-4f0c-9d0b-3f5e8c1a2b4d';
const APP_PASSWORD = 'test-only-secret';

let store: SqlStore;
let keys: BotFrameworkKeyServer;
let key: SigningKey;
let entra: { url: string; requests: URLSearchParams[]; close(): Promise<void> };
let h: BotHarness;

async function startEntra(): Promise<typeof entra> {
  const requests: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(text);
      requests.push(form);
      res.setHeader('content-type', 'application/json');
      if (form.get('client_id') !== APP_ID || form.get('client_secret') !== APP_PASSWORD) {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: 'invalid_client' }));
        return;
      }
      res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: 'outbound-token-1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant-1/oauth2/v2.0/token`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  key = await makeSigningKey('bf-key-1');
  keys = await startKeyServer([key]);
  entra = await startEntra();
});
afterAll(async () => {
  await keys.close();
  await entra.close();
});
beforeEach(async () => {
  store = await createStore({ dataDir: ':memory:' });
  h = await startBotHarness(store, { appId: APP_ID, appPassword: APP_PASSWORD, tenantId: 'tenant-1', openIdMetadataUrl: keys.metadataUrl, tokenUrl: entra.url, allowUnauthenticatedLoopback: false });
});
afterEach(async () => {
  await h.close();
  await store.close();
});

describe('an authenticated bot', () => {
  it('refuses an activity without a token, even from loopback', async () => {
    const { status, body } = await h.post(h.activityFrom(h.people.tm, 'message', { text: 'help' }));
    expect(status).toBe(401);
    expect(body.error?.code).toBe('unauthenticated');
    expect(h.connector.calls).toHaveLength(0);
  });

  it('refuses a token whose serviceUrl differs from the activity’s', async () => {
    const activity = h.activityFrom(h.people.tm, 'message', { text: 'help' });
    const token = await signConnectorToken({ key, appId: APP_ID, serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    expect((await h.post(activity, { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('accepts a valid token and calls the connector with an app token from Entra ID', async () => {
    const activity = h.activityFrom(h.people.tm, 'installationUpdate', { action: 'add' });
    const token = await signConnectorToken({ key, appId: APP_ID, serviceUrl: String(activity.serviceUrl) });
    const { status } = await h.post(activity, { authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    expect(h.connector.calls[0]).toMatchObject({ method: 'POST', conversationId: conversationOf(h.people.tm), authorization: 'Bearer outbound-token-1' });
    expect(entra.requests.at(-1)?.get('grant_type')).toBe('client_credentials');
    expect(entra.requests.at(-1)?.get('scope')).toBe('https://api.botframework.com/.default');
  });

  it('delivers proactive cards with the app token too', async () => {
    const install = h.activityFrom(h.people.tm, 'installationUpdate', { action: 'add' });
    await h.post(install, { authorization: `Bearer ${await signConnectorToken({ key, appId: APP_ID, serviceUrl: String(install.serviceUrl) })}` });
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();
    const card = h.connector.calls.find((c) => JSON.stringify(c.activity).includes(request.id));
    expect(card?.authorization).toBe('Bearer outbound-token-1');
  });
});
