/**
 * The welcome when a social worker installs the app: help, then a card for each request waiting
 * for them — a draft returned to them, but not a draft they have never submitted.
 */
import { createRequest } from '../../../src/app/requests/create-request';
import { takeAction } from '../../../src/app/requests/take-action';
import type { SqlStore } from '../../../src/store';
import { cardLines } from '../../support/bot-fixtures';
import { openFreshStore } from '../../support/databases';
import { conversationOf, startBotHarness, type BotHarness } from './harness';

describe('the social worker’s welcome', () => {
  let store: SqlStore;
  let h: BotHarness;

  beforeAll(async () => {
    store = await openFreshStore('PGlite');
    h = await startBotHarness(store);
  });
  afterAll(async () => {
    await h.close();
    await store.close();
  });

  test('posts the returned draft to submit again, and nothing for a draft never submitted', async () => {
    const submitted = await h.submittedRequest();
    const returned = await takeAction(h.deps, { person: h.people.tm, requestId: 'return-1' }, submitted.id, 'return', { version: submitted.version, reason: 'Say what else has been tried.' });
    expect(returned.state).toBe('draft');
    const unfinished = await createRequest(h.deps, { person: h.people.osw, requestId: 'draft-1' }, { caseReference: 'CM-2001', period: { from: '2026-12-13', to: '' } });

    await h.install(h.people.osw);

    const cards = h.connector.calls
      .filter((c) => c.conversationId === conversationOf(h.people.osw))
      .flatMap((c) => (c.activity.attachments ?? []) as { content: unknown }[])
      .map((a) => cardLines(a.content));
    // Help, then the one request that waits for the worker.
    expect(cards).toHaveLength(2);
    expect(cards[0]).toContain('Social Media Checks');
    expect(cards[1]?.[0]).toBe('Your turn: edit the request and submit it again');
    expect(cards[1]?.[1]).toBe(`${returned.reference} · Draft`);
    expect(cards.flat().join('\n')).not.toContain(unfinished.reference);
  });
});
