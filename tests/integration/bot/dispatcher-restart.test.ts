/**
 * The outbox dispatcher on the real store, through the real bot, across a restart: a message
 * delivered just before a crash is not sent twice, one never delivered is delivered once, and one
 * whose connector keeps failing is marked failed after the limit.
 */
import type { SqlStore } from '../../../src/store';
import { STORE_BACKENDS } from '../../support/databases';
import { createDispatcher } from '../../../src/notify/dispatcher';
import { conversationOf, startBotHarness, type BotHarness } from './harness';


const later = (seconds: number) => ({ now: () => new Date(Date.now() + seconds * 1000) });

describe.each(STORE_BACKENDS)('dispatcher across a restart (%s)', (_backend, openStore) => {
  let store: SqlStore;
  let h: BotHarness;

  beforeEach(async () => {
    store = await openStore();
    h = await startBotHarness(store);
  });
  afterEach(async () => {
    await h.close();
    await store.close();
  });
  it('delivers each owed notification once, and marks the failing one failed', async () => {
    for (const person of Object.values(h.people)) await h.install(person);
    const request = await h.submittedRequest();
    h.connector.failing.add(conversationOf(h.people.osw));
    const owed = await store.read.outbox.listForRequest(request.id);
    expect(owed.length).toBeGreaterThan(0);

    // The first instance claims the agree card, posts it, and dies before recording it as sent.
    const [first] = await store.outboxQueue.claimDue(new Date(), 1, 60);
    if (!first) throw new Error('nothing to claim');
    await h.bot.sender.deliver(first);
    const postsBefore = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationOf(h.people.tm) && JSON.stringify(c.activity).includes(request.id)).length;
    expect(postsBefore).toBe(1);

    // Restarted: a new dispatcher, after the lease has run out.
    const restarted = createDispatcher({ queue: store.outboxQueue, sender: h.bot.sender, clock: later(61), maxAttempts: 3, backoff: () => 0 });
    const result = await restarted.drainOnce();
    expect(result.skipped).toBeGreaterThanOrEqual(1);

    const postsAfter = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationOf(h.people.tm) && JSON.stringify(c.activity).includes(request.id)).length;
    expect(postsAfter).toBe(1);

    // The agree step sends a status card to the social worker, whose connector fails every time.
    const agreeData = { requestId: request.id, version: request.version, note: 'Discussed in supervision.' };
    await h.invoke(h.people.tm, 'agree', agreeData);
    for (let i = 0; i < 4; i += 1) await restarted.drainOnce();
    const messages = await store.read.outbox.listForRequest(request.id);
    const toOsw = messages.filter((m) => m.recipientId === h.people.osw.id);
    expect(toOsw.length).toBeGreaterThan(0);
    for (const m of toOsw) expect(m).toMatchObject({ status: 'failed', attempts: 3 });
    const installed = new Set(Object.values(h.people).map((p) => p.id));
    for (const m of messages.filter((x) => x.recipientId !== h.people.osw.id)) {
      if (m.recipientId === null || installed.has(m.recipientId)) expect(m.status).toBe('sent');
      else expect(m).toMatchObject({ status: 'failed', lastError: expect.stringContaining('has not installed') });
    }
    // Nothing reached anyone twice.
    const posts = h.connector.calls.filter((c) => c.method === 'POST' && JSON.stringify(c.activity).includes(request.id));
    const perConversation = new Map<string, number>();
    for (const p of posts) perConversation.set(p.conversationId, (perConversation.get(p.conversationId) ?? 0) + 1);
    expect([...perConversation.values()].every((n) => n === 1)).toBe(true);
  });
  it('an attempt the dispatcher has given up on makes no call to the Bot Connector', async () => {
    for (const person of Object.values(h.people)) await h.install(person);
    const request = await h.submittedRequest();
    const [owed] = await store.outboxQueue.claimDue(new Date(), 1, 60);
    if (!owed) throw new Error('nothing to claim');
    const before = h.connector.calls.length;
    const givenUp = new AbortController();
    givenUp.abort(new Error('given up'));

    await expect(h.bot.sender.deliver(owed, givenUp.signal)).rejects.toThrow('given up');
    expect(h.connector.calls.slice(before)).toEqual([]);
    // The retry, not given up on, posts the card once.
    await expect(h.bot.sender.deliver(owed)).resolves.toEqual({ status: 'sent' });
    expect(h.connector.calls.filter((c) => c.method === 'POST' && JSON.stringify(c.activity).includes(request.id))).toHaveLength(1);
  });
});
