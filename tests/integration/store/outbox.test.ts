/** The outbox: written in the unit of work, claimed safely by several dispatchers at once. */
import { randomUUID } from 'node:crypto';
import type { OutboxMessageInput } from '../../../src/app/ports';
import type { SqlStore } from '../../../src/store';
import { BACKENDS, openFreshStore } from '../../support/databases';

const message = (requestId: string | null, n: number): OutboxMessageInput => ({
  requestId,
  recipientId: `person-${n}`,
  kind: 'agree_request',
  payload: { n, reference: 'SMC-2026-000001', nested: { list: [n, 'x'] } },
});

describe.each(BACKENDS)('outbox on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  // One database for the file; each test starts with nothing left to claim.
  beforeEach(async () => {
    const farFuture = new Date(Date.now() + 365 * 86_400_000);
    const leftovers = await store.outboxQueue.claimDue(farFuture, 10_000, 0);
    await store.outboxQueue.record(leftovers.map((m) => ({ id: m.id, attempts: m.attempts, sentAt: farFuture })));
  });

  it('adds messages as pending and lists them for their request in order', async () => {
    const requestId = randomUUID();
    const before = Date.now();
    await store.transaction((uow) => uow.outbox.add([message(requestId, 1), message(requestId, 2), { ...message(null, 3), recipientId: null }]));
    await store.read.outbox.add([]);

    const listed = await store.read.outbox.listForRequest(requestId);
    expect(listed.map((m) => m.payload)).toEqual([message(requestId, 1).payload, message(requestId, 2).payload]);
    const [first] = listed;
    expect(first).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdAt: first?.createdAt,
      requestId,
      recipientId: 'person-1',
      kind: 'agree_request',
      payload: { n: 1, reference: 'SMC-2026-000001', nested: { list: [1, 'x'] } },
      status: 'pending',
      attempts: 0,
      nextAttemptAt: first?.createdAt,
      lastError: null,
      sentAt: null,
    });
    expect(Date.parse(first?.createdAt ?? '')).toBeGreaterThanOrEqual(before - 5_000);
    expect(first?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('claims due messages with a lease, and again only when the lease has run out', async () => {
    const requestId = randomUUID();
    await store.read.outbox.add([message(requestId, 1), message(requestId, 2), message(requestId, 3)]);
    const now = new Date(Date.now() + 1_000);

    const claimed = await store.outboxQueue.claimDue(now, 2, 60);
    expect(claimed.map((m) => m.payload.n)).toEqual([1, 2]);
    expect(claimed.map((m) => m.attempts)).toEqual([1, 1]);
    expect(claimed.map((m) => m.nextAttemptAt)).toEqual([new Date(now.getTime() + 60_000).toISOString(), new Date(now.getTime() + 60_000).toISOString()]);
    expect(claimed.map((m) => m.status)).toEqual(['pending', 'pending']);

    expect((await store.outboxQueue.claimDue(now, 10, 60)).map((m) => m.payload.n)).toEqual([3]);
    expect(await store.outboxQueue.claimDue(now, 10, 60)).toEqual([]);
    expect(await store.outboxQueue.claimDue(new Date(now.getTime() + 59_000), 10, 60)).toEqual([]);

    const later = new Date(now.getTime() + 60_000);
    const reclaimed = await store.outboxQueue.claimDue(later, 10, 30);
    expect(reclaimed.map((m) => [m.payload.n, m.attempts])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
  });

  it('does not claim messages that are not yet due', async () => {
    await store.read.outbox.add([message(null, 1)]);
    expect(await store.outboxQueue.claimDue(new Date(Date.now() - 60_000), 10, 60)).toEqual([]);
  });

  it('marks a message sent, after which it is never claimed again', async () => {
    const requestId = randomUUID();
    await store.read.outbox.add([message(requestId, 1)]);
    const now = new Date(Date.now() + 1_000);
    const [claimed] = await store.outboxQueue.claimDue(now, 10, 60);
    const sentAt = new Date('2026-11-25T12:00:00.500Z');
    await store.outboxQueue.record([{ id: claimed?.id ?? '', attempts: 1, sentAt }]);

    const [stored] = await store.read.outbox.listForRequest(requestId);
    expect(stored?.status).toBe('sent');
    expect(stored?.sentAt).toBe('2026-11-25T12:00:00.500Z');
    expect(stored?.attempts).toBe(1);
    expect(await store.outboxQueue.claimDue(new Date(now.getTime() + 3_600_000), 10, 60)).toEqual([]);
  });

  it('retries a failed message at the time given, and gives up when there is none', async () => {
    const requestId = randomUUID();
    await store.read.outbox.add([message(requestId, 1), message(requestId, 2)]);
    const now = new Date(Date.now() + 1_000);
    const [first, second] = await store.outboxQueue.claimDue(now, 10, 60);

    const retryAt = new Date(now.getTime() + 5_000);
    await store.outboxQueue.record([
      { id: first?.id ?? '', attempts: 1, error: 'Bot Framework returned 503', retryAt },
      { id: second?.id ?? '', attempts: 1, error: 'Recipient has no conversation', retryAt: null },
    ]);

    const [retrying, failed] = await store.read.outbox.listForRequest(requestId);
    expect(retrying).toMatchObject({ status: 'pending', lastError: 'Bot Framework returned 503', nextAttemptAt: retryAt.toISOString(), attempts: 1 });
    expect(failed).toMatchObject({ status: 'failed', lastError: 'Recipient has no conversation', attempts: 1, sentAt: null });

    expect(await store.outboxQueue.claimDue(new Date(retryAt.getTime() - 1), 10, 60)).toEqual([]);
    const again = await store.outboxQueue.claimDue(retryAt, 10, 60);
    expect(again.map((m) => [m.id, m.attempts])).toEqual([[first?.id, 2]]);
  });

  it('records several outcomes at once: a retried message sent later keeps its last error', async () => {
    const requestId = randomUUID();
    await store.read.outbox.add([message(requestId, 1), message(requestId, 2), message(requestId, 3)]);
    const now = new Date(Date.now() + 1_000);
    const [first, second, third] = await store.outboxQueue.claimDue(now, 10, 60);
    const retryAt = new Date(now.getTime() + 5_000);
    await store.outboxQueue.record([{ id: first?.id ?? '', attempts: 1, error: 'Bot Framework returned 503', retryAt }]);
    const sentAt = new Date(retryAt.getTime() + 1_000);
    const [again] = await store.outboxQueue.claimDue(retryAt, 10, 60);

    await store.outboxQueue.record([
      { id: again?.id ?? '', attempts: 2, sentAt },
      { id: second?.id ?? '', attempts: 1, error: 'Recipient has no conversation', retryAt: null },
      { id: third?.id ?? '', attempts: 1, sentAt },
    ]);

    const stored = await store.read.outbox.listForRequest(requestId);
    expect(stored.map((m) => [m.status, m.lastError, m.sentAt, m.attempts])).toEqual([
      ['sent', 'Bot Framework returned 503', sentAt.toISOString(), 2],
      ['failed', 'Recipient has no conversation', null, 1],
      ['sent', null, sentAt.toISOString(), 1],
    ]);
  });

  it('ignores an outcome written after another claim took the message over', async () => {
    const requestId = randomUUID();
    await store.read.outbox.add([message(requestId, 1)]);
    const now = new Date(Date.now() + 1_000);
    const [first] = await store.outboxQueue.claimDue(now, 10, 1);
    // The first claim's lease runs out while it is still delivering; another instance claims it.
    const [second] = await store.outboxQueue.claimDue(new Date(now.getTime() + 2_000), 10, 60);
    expect(second?.attempts).toBe(2);

    await store.outboxQueue.record([{ id: first?.id ?? '', attempts: 1, error: 'Bot Framework returned 503', retryAt: null }]);
    expect((await store.read.outbox.listForRequest(requestId))[0]).toMatchObject({ status: 'pending', lastError: null, attempts: 2 });

    const sentAt = new Date(now.getTime() + 3_000);
    await store.outboxQueue.record([{ id: second?.id ?? '', attempts: 2, sentAt }]);
    expect((await store.read.outbox.listForRequest(requestId))[0]).toMatchObject({ status: 'sent', sentAt: sentAt.toISOString() });
  });

  it('never gives the same message to two claimers working at once', async () => {
    const total = 60;
    await store.read.outbox.add(Array.from({ length: total }, (_, n) => message(null, n)));
    const now = new Date(Date.now() + 1_000);
    const claimer = async (): Promise<string[]> => {
      const ids: string[] = [];
      for (;;) {
        const batch = await store.outboxQueue.claimDue(now, 7, 300);
        if (batch.length === 0) return ids;
        ids.push(...batch.map((m) => m.id));
      }
    };
    const claims = await Promise.all([claimer(), claimer(), claimer(), claimer()]);
    const all = claims.flat();
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
  });
});
