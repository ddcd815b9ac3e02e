/**
 * The tab as a person on a poor connection meets it: a fresh browser profile (nothing cached) on
 * Chrome's "Slow 4G" profile with the CPU slowed 4×, timing from navigation until the page can be
 * used (local sign-in included), and counting the script bytes sent (compressed, as on the wire)
 * and their size unpacked.
 * Two journeys: the first page after sign-in, and a cold link straight to one request.
 */
import type { CDPSession, Page } from 'playwright-core';
import { ensureTabBuilt, launchBrowser, startServer } from '../tests/e2e/support';

/** DevTools' "Slow 4G" preset (Lighthouse's mobile throttling): 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up. */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU_SLOWDOWN = 4;

export interface LoadResult {
  journey: string;
  msToUsable: number;
  scriptBytesSent: number;
  scriptBytesUnpacked: number;
}

async function throttle(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return cdp;
}

function countScripts(cdp: CDPSession): () => { sent: number; unpacked: number } {
  const scripts = new Map<string, { sent: number; unpacked: number }>();
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Script') scripts.set(e.requestId, { sent: 0, unpacked: 0 });
  });
  cdp.on('Network.dataReceived', (e) => {
    const s = scripts.get(e.requestId);
    if (s) s.unpacked += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const s = scripts.get(e.requestId);
    if (s) s.sent = e.encodedDataLength;
  });
  return () => [...scripts.values()].reduce((t, s) => ({ sent: t.sent + s.sent, unpacked: t.unpacked + s.unpacked }), { sent: 0, unpacked: 0 });
}

export async function benchTabLoad(): Promise<LoadResult[]> {
  ensureTabBuilt();
  const server = await startServer();
  const browser = await launchBrowser();
  const results: LoadResult[] = [];
  try {
    // A request to link to, made over the API as the walk-through in the README does.
    const token = async (userId: string) => ((await (await fetch(`${server.baseUrl}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) })).json()) as { token: string }).token;
    const osw = await token('amelia.hart');
    const created = (await (
      await fetch(`${server.baseUrl}/api/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${osw}` },
        body: JSON.stringify({
          caseReference: 'CM-BENCH',
          children: [{ name: 'Child A' }],
          concernCategories: ['risky_behaviour'],
          concernDetails: 'Reports of drinking',
          justification: 'Home visits inconclusive',
          subjects: [{ kind: 'service_user', name: 'Jane Doe' }],
          period: { from: '2026-06-01', to: '2026-11-01' },
          monitoring: null,
          neededBy: '2026-12-20',
        }),
      })
    ).json()) as { id: string };

    const journey = async (name: string, path: string, usable: (page: Page) => Promise<void>) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      const page = await context.newPage();
      page.setDefaultTimeout(120_000);
      const cdp = await throttle(page);
      const scripts = countScripts(cdp);
      const started = Date.now();
      await page.goto(`${server.baseUrl}${path}`);
      // Local sign-in stands where Teams SSO would: one click, included in the time.
      await page.getByRole('button', { name: 'Sign in as Amelia Hart' }).click();
      await usable(page);
      const msToUsable = Date.now() - started;
      const bytes = scripts();
      results.push({ journey: name, msToUsable, scriptBytesSent: bytes.sent, scriptBytesUnpacked: bytes.unpacked });
      await context.close();
    };
    await journey('first page (my requests)', '/', async (page) => page.getByRole('link', { name: 'New request' }).waitFor());
    await journey('cold link to a request', `/requests/${created.id}`, async (page) => page.getByRole('heading', { name: /^Request / }).waitFor());
  } finally {
    await browser.close();
    await server.stop();
  }
  return results;
}
