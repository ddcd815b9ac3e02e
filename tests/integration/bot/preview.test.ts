/**
 * Local mode's Teams chat preview: its page and assets are served, and its in-process Bot
 * Connector stand-in receives the bot's posts and updates, which the page reads back.
 */
import { createStore, type SqlStore } from '../../../src/store';
import { conversationOf, executeData, startBotHarness, verbs, type BotHarness, type CardJson } from './harness';

let store: SqlStore;
let h: BotHarness;
let base = '';

beforeEach(async () => {
  store = await createStore({ dataDir: ':memory:' });
  h = await startBotHarness(store, {
    serviceUrl: (_connector, bot) => {
      base = bot;
      return `${bot}/preview/connector/`;
    },
  });
});
afterEach(async () => {
  await h.close();
  await store.close();
});

interface Feed {
  cursor: number;
  activities: { id: string; updated?: string; attachments?: { content: CardJson }[] }[];
}

async function feed(conversationId: string, after = 0): Promise<Feed> {
  const response = await fetch(`${base}/preview/connector/v3/conversations/${encodeURIComponent(conversationId)}/activities?after=${after}`);
  return (await response.json()) as Feed;
}

describe('chat preview (local mode)', () => {
  it('serves the page, its script and the adaptivecards renderer', async () => {
    const page = await fetch(`${base}/preview/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Teams chat preview');
    for (const asset of ['preview.js', 'preview.css', 'adaptivecards.js']) {
      expect((await fetch(`${base}/preview/${asset}`)).status).toBe(200);
    }
    // Only the listed files are served: no path reaches the file system.
    expect((await fetch(`${base}/preview/index.ts`)).status).toBe(404);
    expect((await fetch(`${base}/preview/preview.js`, { method: "DELETE" })).status).toBe(404);
  });

  it('shows what the bot posts and updates, and takes decisions through real invokes', async () => {
    await h.install(h.people.tm);
    await h.install(h.people.osw);
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();
    const first = await feed(conversationOf(h.people.tm));
    const card = first.activities.map((a) => a.attachments?.[0]?.content).find((c) => JSON.stringify(c).includes(request.id));
    expect(verbs(card)).toContain('agree');

    await h.invoke(h.people.tm, 'agree', executeData(card, 'agree'));
    await h.dispatcher.drainOnce();
    const changed = await feed(conversationOf(h.people.tm), first.cursor);
    expect(changed.activities.some((a) => a.updated && JSON.stringify(a).includes('Agreed by Tom Reid'))).toBe(true);
  });

  it('is not offered when the bot has an app id', async () => {
    const other = await startBotHarness(store, { appId: 'a-real-bot', appPassword: 'secret', tenantId: 'tenant-1', allowUnauthenticatedLoopback: true });
    expect(other.bot.preview).toBeNull();
    await other.close();
  });
});
