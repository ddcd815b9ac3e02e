/**
 * The bot's conversation store: what delivering one message reads at once (the card an earlier
 * attempt posted, the person's conversation while installed, every card about the request in the
 * order posted), on PGlite and on a PostgreSQL server.
 */
import { randomUUID } from 'node:crypto';
import type { CardActivityRecord, ConversationRecord } from '../../../src/notify/ports';
import { createConversationStore, type SqlStore } from '../../../src/store';
import { BACKENDS, openFreshStore } from '../../support/databases';

const AT = new Date('2026-11-30T10:00:00Z');

function conversation(aadObjectId: string): ConversationRecord {
  return {
    aadObjectId,
    teamsUserId: `29:${aadObjectId}`,
    conversationId: `a:${aadObjectId}`,
    serviceUrl: 'https://smba.trafficmanager.net/uk/',
    channelId: 'msteams',
    tenantId: null,
    botId: '28:bot',
    botName: 'Social Media Checks',
  };
}

function card(requestId: string, personId: string, activityId: string, outboxMessageId: string | null, kind = 'agree_request'): CardActivityRecord {
  return { requestId, personId, conversationId: `a:${personId}`, serviceUrl: 'https://smba.trafficmanager.net/uk/', activityId, outboxMessageId, kind };
}

describe.each(BACKENDS)('the conversation store on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('reads the earlier card, the conversation and the request’s cards in one lookup', async () => {
    const conversations = createConversationStore(store.db);
    const requestId = randomUUID();
    const [message, other] = [randomUUID(), randomUUID()];
    await conversations.save(conversation('tm-1'), AT);
    await conversations.recordCard(card(requestId, 'tm-1', 'activity-2', message), AT);
    await conversations.recordCard(card(requestId, 'sd-1', 'activity-3', other, 'status_line'), AT);
    await conversations.recordCard(card(randomUUID(), 'tm-1', 'activity-4', randomUUID()), AT);

    expect(await conversations.forDelivery(message, 'tm-1', requestId)).toEqual({
      earlier: card(requestId, 'tm-1', 'activity-2', message),
      conversation: conversation('tm-1'),
      cardsForRequest: [card(requestId, 'tm-1', 'activity-2', message), card(requestId, 'sd-1', 'activity-3', other, 'status_line')],
    });
  });

  it('finds nothing for a first attempt to someone who has not installed the app, or removed it', async () => {
    const conversations = createConversationStore(store.db);
    expect(await conversations.forDelivery(randomUUID(), 'nobody', randomUUID())).toEqual({ earlier: null, conversation: null, cardsForRequest: [] });

    await conversations.save(conversation('gone-1'), AT);
    await conversations.markUninstalled('gone-1', AT);
    expect((await conversations.forDelivery(randomUUID(), 'gone-1', randomUUID())).conversation).toBeNull();
  });
});
