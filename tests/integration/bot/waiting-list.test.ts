/**
 * The bot reads the same list as the tab: after another user makes 600 newer drafts, the service
 * director's "waiting for me" in chat, and the cards owed on install, still hold every request.
 */
import { takeAction } from '../../../src/app/requests/take-action';
import type { SqlStore } from '../../../src/store';
import { insertDrafts } from '../../support/bulk-requests';
import { STORE_BACKENDS } from '../../support/databases';
import { conversationOf, startBotHarness, type BotHarness } from './harness';

describe.each(STORE_BACKENDS)('the bot’s waiting for me (%s)', (_backend, openStore) => {
  let store: SqlStore;
  let h: BotHarness;

  beforeAll(async () => {
    store = await openStore();
    h = await startBotHarness(store);
  });
  afterAll(async () => {
    await h.close();
    await store.close();
  });

  test('600 newer drafts by someone else push nothing out of the director’s list', async () => {
    const references: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const submitted = await h.submittedRequest();
      const agreed = await takeAction(h.deps, { person: h.people.tm, requestId: `agree-${i}` }, submitted.id, 'agree', { version: submitted.version, note: 'Discussed in supervision.' });
      expect(agreed.state).toBe('awaiting_service_director');
      references.push(agreed.reference);
    }
    await insertDrafts(store, 'ben.okafor', 600, new Date(Date.now() + 60_000));

    await h.install(h.people.sd);
    const sent = () => h.connector.calls.filter((c) => c.conversationId === conversationOf(h.people.sd)).map((c) => JSON.stringify(c.activity));
    // On install: help, then a card for each request already waiting.
    const onInstall = sent();
    for (const reference of references) expect(onInstall.some((a) => a.includes(reference))).toBe(true);

    await h.post(h.activityFrom(h.people.sd, 'message', { text: 'waiting for me' }));
    const summary = sent().at(-1) ?? '';
    expect(summary).toContain('Waiting for you');
    for (const reference of references) expect(summary).toContain(reference);
  });
});
