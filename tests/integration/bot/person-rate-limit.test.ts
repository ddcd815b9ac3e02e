/**
 * The per-person rate limit reaches the bot (issue 13, item 4): every person's card actions come
 * through the Bot Connector's few addresses, so POST /api/messages counts each activity against its
 * sender too, once the Bot Connector's token is accepted, in the same budget as their API calls.
 *
 * A card action refused is answered as the Adaptive Cards "Universal Action Model" (Response
 * format) requires: "If the Bot did process an incoming `adaptiveCard/action` Invoke activity
 * (i.e. if the Bot's code was involved at all in processing the request), the HTTP response's status
 * code returned by the Bot must be equal to 200", its `statusCode` being "a number ranging from
 * 200-599 that mirrors HTTP status code values and is meant to be a sub-status for the result of
 * the bot processing the Invoke", a 4xx error typed `application/vnd.microsoft.error`.
 */
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import type { Person } from '../../../src/domain/roles';
import { startApi, type ApiHarness } from '../../support/api-server';
import { makeSigningKey, signConnectorToken, startKeyServer, type BotFrameworkKeyServer, type SigningKey } from '../../support/bot-framework-keys';

const APP_ID = '0f7a4b77-7a3c-4f0c-9d0b-3f5e8c1a2b4d';
const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';
const PER_PERSON = 3;
const TENANT_ID = '3c9e1f4a-0000-4000-8000-00000000c0de';
/** Counts are kept by the wall clock: frozen, the window of every count opens now, so Retry-After is the whole minute. */
const NOW = Date.now();

let keys: BotFrameworkKeyServer;
let key: SigningKey;
let api: ApiHarness;

beforeAll(async () => {
  key = await makeSigningKey('bf-key-1');
  keys = await startKeyServer([key]);
  api = await startApi('PGlite', {
    env: {
      RATE_LIMIT_PERSON_PER_MINUTE: String(PER_PERSON),
      RATE_LIMIT_ADDRESS_PER_MINUTE: '1000',
      BOT_APP_ID: APP_ID,
      BOT_APP_PASSWORD: 'test-only-secret',
      BOT_TENANT_ID: TENANT_ID,
      BOT_OPENID_METADATA_URL: keys.metadataUrl,
    },
  });
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
}, 120_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await api?.close();
  await keys?.close();
});

const person = (id: string): Person => {
  const found = DEMO_PEOPLE.find((p) => p.id === id);
  if (!found) throw new Error(`no demo person ${id}`);
  return found;
};

let n = 0;
function activityFrom(who: Person, type: string, extra: object = {}): Record<string, unknown> {
  return {
    type,
    id: `f:${(n += 1)}`,
    timestamp: new Date(NOW).toISOString(),
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: `29:${who.aadObjectId}`, name: who.displayName, aadObjectId: who.aadObjectId },
    conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: `a:personal-${who.aadObjectId}` },
    recipient: { id: '28:bot-app-id', name: 'Social Media Checks' },
    channelData: { tenant: { id: TENANT_ID } },
    ...extra,
  };
}

const cardAction = (who: Person) => activityFrom(who, 'invoke', { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'myRequests', data: {} }, trigger: 'manual' } });

/** Posts an activity as the Bot Connector does: signed with a token for the bot, unless `signed` is false. */
async function post(activity: Record<string, unknown>, signed = true) {
  const headers: Record<string, string> = signed ? { authorization: `Bearer ${await signConnectorToken({ key, appId: APP_ID, serviceUrl: SERVICE_URL })}` } : {};
  return api.call('POST', '/api/messages', { body: activity, headers });
}

const MESSAGE = 'Too many requests: try again in 60 seconds.';
const REFUSED_CARD_ACTION = { statusCode: 429, type: 'application/vnd.microsoft.error', value: { code: 'rate_limited', message: MESSAGE } };

test('one person’s card actions over the limit are refused with the Universal Actions error; another person’s from the same address are not', async () => {
  const amelia = person('amelia.hart');
  const ben = person('ben.okafor');
  for (let i = 0; i < PER_PERSON; i += 1) {
    const allowed = await post(cardAction(amelia));
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(allowed.headers.get('retry-after')).toBeNull();
  }

  const refused = await post(cardAction(amelia));
  // HTTP 200 with the sub-status in the body, as the Universal Action Model's response format requires.
  expect(refused.status).toBe(200);
  expect(refused.body).toEqual(REFUSED_CARD_ACTION);
  expect(refused.headers.get('retry-after')).toBe('60');

  // Any other activity from her: 429 in the API's error shape.
  const message = await post(activityFrom(amelia, 'message', { text: 'waiting' }));
  expect(message.status).toBe(429);
  expect(message.body).toEqual({ error: { code: 'rate_limited', message: MESSAGE } });
  expect(message.headers.get('retry-after')).toBe('60');

  // Ben's card actions arrive from the same address (the Bot Connector's) and have their own budget.
  const other = await post(cardAction(ben));
  expect(other.status).toBe(200);
  expect(other.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
});

test('a person’s API calls and card actions spend one budget', async () => {
  const tom = person('tom.reid');
  const token = await api.token(tom.id);
  expect((await api.call('GET', '/api/me', { token })).status).toBe(200);
  expect((await api.call('GET', '/api/me', { token })).status).toBe(200);
  expect((await post(cardAction(tom))).body).toMatchObject({ statusCode: 200 });

  const refused = await post(cardAction(tom));
  expect(refused.status).toBe(200);
  expect(refused.body).toEqual(REFUSED_CARD_ACTION);
  expect(refused.headers.get('retry-after')).toBe('60');

  const call = await api.call('GET', '/api/me', { token });
  expect(call.status).toBe(429);
  expect(call.body).toEqual({ error: { code: 'rate_limited', message: MESSAGE } });
  expect(call.headers.get('retry-after')).toBe('60');
});

test('an activity without a valid Bot Connector token spends nobody’s budget', async () => {
  const sarah = person('sarah.mitchell');
  for (let i = 0; i < PER_PERSON + 2; i += 1) {
    const unsigned = await post(cardAction(sarah), false);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error?.code).toBe('unauthenticated');
  }
  for (let i = 0; i < PER_PERSON; i += 1) {
    const signed = await post(cardAction(sarah));
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  }
  expect((await post(cardAction(sarah))).body).toEqual(REFUSED_CARD_ACTION);
});
