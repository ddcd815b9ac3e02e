/**
 * In Teams mode every link on a card opens the personal tab inside Teams: a deep link
 * (Microsoft's "deep link to an application") naming the app by the "id" of the manifest Teams
 * installed, the static tab by its "entityId", and the request as context={"subEntityId": …}.
 * The app id and entity id are read from the app package's manifest, not from the bot's code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fillManifest, manifestValues } from '../../../scripts/package-app';
import { createStore, type SqlStore } from '../../../src/store';
import { startBotHarness, type BotHarness, type CardJson } from './harness';

const ROOT = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fillManifest(readFileSync(path.join(ROOT, 'appPackage/manifest.json'), 'utf8'), manifestValues('local', {}))) as {
  id: string;
  staticTabs: { entityId: string; contentUrl?: string }[];
};
/** The tab that shows requests: the static tab whose page is the app itself. */
const requestsTab = manifest.staticTabs.find((t) => t.contentUrl !== undefined);

/** Every address a person can open from a card: Action.OpenUrl and selectAction urls. */
function openUrls(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => openUrls(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.OpenUrl' && typeof o.url === 'string') out.push(o.url);
    Object.values(o).forEach((v) => openUrls(v, out));
  }
  return out;
}

function cardsIn(activity: Record<string, unknown>): CardJson[] {
  const attachments = (activity.attachments ?? []) as { content?: CardJson }[];
  return attachments.flatMap((a) => (a.content ? [a.content] : []));
}

let store: SqlStore;
let h: BotHarness;

beforeEach(async () => {
  store = await createStore({ dataDir: ':memory:' });
  h = await startBotHarness(store, { teamsAppId: manifest.id });
});
afterEach(async () => {
  await h.close();
  await store.close();
});

describe('card links in Teams mode', () => {
  it('open the personal tab by a deep link with the request as subEntityId', async () => {
    expect(requestsTab).toBeDefined();
    await h.install(h.people.tm);
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();
    await h.post(h.activityFrom(h.people.tm, 'message', { text: 'waiting for me' }));
    await h.post(h.activityFrom(h.people.tm, 'message', { text: 'help' }));

    const urls = h.connector.calls.flatMap((c) => cardsIn(c.activity)).flatMap((card) => openUrls(card));
    expect(urls.length).toBeGreaterThanOrEqual(3);
    const subEntityIds = new Set<string>();
    for (const url of urls) {
      const link = new URL(url);
      expect(`${link.origin}${link.pathname}`).toBe(`https://teams.microsoft.com/l/entity/${manifest.id}/${requestsTab?.entityId}`);
      const context = link.searchParams.get('context');
      if (context) subEntityIds.add((JSON.parse(context) as { subEntityId: string }).subEntityId);
      // The query is URL-encoded, as the deep link format requires.
      expect(url).not.toMatch(/[{}"]/);
    }
    // The request card and the "waiting for me" summary both point at the request.
    expect([...subEntityIds]).toEqual([request.id]);
  });
});
