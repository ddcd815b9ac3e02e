/**
 * The outbox under a backlog and a slow Bot Connector: delivery runs several messages at once (no
 * more than the configured concurrency), shutdown returns within its 10 s bound however much is
 * pending, and after a restart every message is delivered once: nothing lost, nothing twice.
 */
import { sql } from 'kysely';
import { systemClock } from '../../../src/app/deps';
import { createDispatcher } from '../../../src/notify/dispatcher';
import type { SqlStore } from '../../../src/store';
import { STORE_BACKENDS } from '../../support/databases';
import { startBotHarness, type BotHarness } from './harness';

const REQUESTS = 12;
const CONCURRENCY = 3;

async function statuses(store: SqlStore): Promise<Record<string, number>> {
  const { rows } = await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`.execute(store.db);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe.each(STORE_BACKENDS)('outbox shutdown under a backlog (%s)', (_backend, openStore) => {
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

  it('delivers in parallel, stops within 10 s leaving the rest pending, and delivers the rest once after a restart', async () => {
    for (const person of Object.values(h.people)) await h.install(person);
    const installCalls = h.connector.calls.length;
    for (let i = 0; i < REQUESTS; i += 1) await h.submittedRequest();
    const owed = (await statuses(store)).pending ?? 0;
    expect(owed).toBeGreaterThanOrEqual(REQUESTS);

    h.connector.delayMs = 300;
    const first = createDispatcher({ queue: store.outboxQueue, sender: h.bot.sender, clock: systemClock, concurrency: CONCURRENCY, maxAttempts: 3, backoff: () => 0, pollIntervalMs: 50 });
    first.start();
    while (h.connector.calls.length < installCalls + CONCURRENCY) await new Promise((resolve) => setTimeout(resolve, 20));
    const stopping = Date.now();
    await first.stop();
    expect(Date.now() - stopping).toBeLessThan(10_000);

    expect(h.connector.mostAtOnce).toBeGreaterThan(1);
    expect(h.connector.mostAtOnce).toBeLessThanOrEqual(CONCURRENCY);
    const afterStop = await statuses(store);
    // Left for the next start, and due at once: nothing waits for a lease to run out.
    expect(afterStop.pending ?? 0).toBeGreaterThan(0);
    const { rows: leased } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND next_attempt_at > ${new Date().toISOString()}`.execute(store.db);
    expect(leased[0]?.n).toBe(0);

    h.connector.delayMs = 0;
    const restarted = createDispatcher({ queue: store.outboxQueue, sender: h.bot.sender, clock: systemClock, concurrency: CONCURRENCY, maxAttempts: 3, backoff: () => 0 });
    for (let round = 0; round < 5 && ((await statuses(store)).pending ?? 0) > 0; round += 1) await restarted.drainOnce();

    const final = await statuses(store);
    expect(final.pending ?? 0).toBe(0);
    expect(final.failed ?? 0).toBe(0);
    expect(final.sent).toBe(owed);
    // Each card reached its chat once.
    const posts = h.connector.calls.slice(installCalls).filter((c) => c.method === 'POST').map((c) => `${c.conversationId} ${JSON.stringify(c.activity)}`);
    expect(new Set(posts).size).toBe(posts.length);
  });
});
