/**
 * Issue 13, item 7, at the bot's endpoint: no activity, however malformed, gets a 500. Reproduced
 * from outside first: a sender's `aadObjectId` or a message's `text` that was not text failed
 * inside botbuilder (500), an invoke the bot has no handler for was a bare 501 with no body, and a
 * reply the Bot Connector could not take was a 500. A card's note that was not text was dropped and
 * the request agreed without it.
 */
import { createStore, type SqlStore } from '../../../src/store';
import { executeData, startBotHarness, type BotHarness } from './harness';

let store: SqlStore;
let h: BotHarness;

beforeAll(async () => {
  store = await createStore({ dataDir: ':memory:' });
  h = await startBotHarness(store);
  for (const person of [h.people.osw, h.people.tm]) await h.install(person);
});
afterAll(async () => {
  await h.close();
  await store.close();
});

test.each([
  ['a sender whose aadObjectId is an object', { from: { id: '29:x', aadObjectId: { a: 1 } }, text: 'help' }],
  ['a message whose text is an object', { text: { a: 1 } }],
  ['a message whose text is a list', { text: ['help'] }],
  ['a conversation whose tenant id is a number', { conversation: { id: 'a:x', conversationType: 'personal', tenantId: 7 }, text: 'help' }],
  ['an activity whose id is a number', { id: 12, text: 'help' }],
  // Before, these were HTTP 500s: a NUL reached the database, botbuilder read what was not there.
  ['a sender whose aadObjectId holds a NUL', { from: { id: '29:x', aadObjectId: '\u0000' }, text: 'help' }],
  ['a conversation whose isGroup is text', { conversation: { id: 'a:x', conversationType: 'personal', tenantId: 'x', isGroup: 'x' }, text: 'help' }],
  ['a message update with no channelData', { type: 'messageUpdate', channelData: undefined }],
  ['a message delete with no channelData', { type: 'messageDelete', channelData: undefined }],
])('%s is a 400 in the error shape, and the bot answers nothing', async (_what, fields) => {
  const before = h.connector.calls.length;
  const answer = await h.post(h.activityFrom(h.people.tm, 'message', fields));
  expect(answer).toEqual({ status: 400, body: { error: { code: 'validation', message: 'The body is not a Bot Framework activity.' } } });
  expect(h.connector.calls.length).toBe(before);
});

test.each(['composeExtension/query', 'no/such/invoke'])('an invoke the bot has no handler for (%s) is a 501 in the error shape', async (name) => {
  const answer = await h.post(h.activityFrom(h.people.tm, 'invoke', { name, value: {} }));
  expect(answer.status).toBe(501);
  expect(answer.body.error).toEqual({ code: 'not_implemented', message: expect.stringContaining(name) });
});

test.each([
  ['no value', undefined],
  ['a value with no action', {}],
  ['an action that is null', { action: null }],
  ['an action that is text', { action: 'x' }],
  ['an Action.Submit rather than Action.Execute', { action: { type: 'Action.Submit', verb: 'agree', data: {} } }],
  // Before, these were HTTP 500: the verb was put into a message, the data read as a record.
  ['a verb that is an object', { action: { type: 'Action.Execute', verb: { toString: 1 }, data: {} } }],
  ['a verb that is a number', { action: { type: 'Action.Execute', verb: 7, data: {} } }],
  ['data that is a list', { action: { type: 'Action.Execute', verb: 'agree', data: [1] } }],
])('a card action with %s is answered with HTTP 200 and the Universal Actions error, not an HTTP 400', async (_what, value) => {
  const answer = await h.post(h.activityFrom(h.people.tm, 'invoke', { name: 'adaptiveCard/action', ...(value === undefined ? {} : { value }) }));
  // "If the Bot did process an incoming adaptiveCard/action Invoke activity … the HTTP response's status code returned by the Bot must be equal to 200".
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: expect.any(String), message: expect.any(String) } });
});

test('a version that is an object is refused as the API refuses it, not a 500', async () => {
  const answer = await h.post(h.activityFrom(h.people.tm, 'invoke', { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'agree', data: { requestId: '11111111-1111-4111-8111-111111111111', version: { toString: 1 } } } } }));
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
});

test('a reply the Bot Connector cannot take is a 503 in the error shape, not a 500', async () => {
  // Nothing listens on port 1 of this machine: the reply to "help" cannot be sent. (A message
  // refreshes its sender's stored conversation, so someone with no part in the other tests sends it.)
  const answer = await h.post(h.activityFrom(h.people.sm, 'message', { text: 'help', serviceUrl: 'http://127.0.0.1:1/' }));
  expect(answer.status).toBe(503);
  expect(answer.body.error?.code).toBe('unavailable');
});

test('a card note that is not text is refused as the API refuses it, and the request does not move', async () => {
  const request = await h.submittedRequest();
  await h.dispatcher.drainOnce();
  const card = h.latestCard(h.people.tm, request.id);
  const answer = await h.invoke(h.people.tm, 'agree', { ...executeData(card, 'agree'), note: { a: 1 } });
  expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(JSON.stringify(answer.value)).toContain('Some answers need attention.');
  const after = await store.read.requests.get(request.id);
  expect([after?.state, after?.version]).toEqual(['awaiting_team_manager', request.version]);
});
