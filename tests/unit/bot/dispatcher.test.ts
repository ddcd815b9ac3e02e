/**
 * The outbox dispatcher against an in-memory queue with the same lease semantics as the
 * store's claimDue: delivered once across a restart, retried with backoff, failed after the limit.
 */
import type { Clock, OutboxMessage, OutboxOutcome, OutboxQueue } from '../../../src/app/ports';
import { createDispatcher, exponentialBackoff } from '../../../src/notify/dispatcher';
import { PermanentDeliveryError, type DeliveryResult, type NotificationSender } from '../../../src/notify/ports';

class ManualClock implements Clock {
  constructor(private at: number) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** Mirrors the store: claims lease the message (nextAttemptAt moved ahead, attempts + 1). */
class MemoryQueue implements OutboxQueue {
  readonly messages = new Map<string, OutboxMessage>();
  add(id: string, at: Date): void {
    this.messages.set(id, {
      id,
      requestId: 'r1',
      recipientId: 'p1',
      kind: 'agree_request',
      payload: {},
      createdAt: at.toISOString(),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at.toISOString(),
      lastError: null,
      sentAt: null,
    });
  }
  async claimDue(now: Date, limit: number, leaseSeconds: number): Promise<OutboxMessage[]> {
    const due = [...this.messages.values()].filter((m) => m.status === 'pending' && m.nextAttemptAt <= now.toISOString()).slice(0, limit);
    for (const m of due) {
      m.attempts += 1;
      m.nextAttemptAt = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    }
    return due.map((m) => ({ ...m }));
  }
  async record(outcomes: readonly OutboxOutcome[]): Promise<void> {
    for (const outcome of outcomes) {
      const m = this.get(outcome.id);
      if (m.attempts !== outcome.attempts || m.status !== 'pending') continue;
      if ('sentAt' in outcome) {
        m.status = 'sent';
        m.sentAt = outcome.sentAt.toISOString();
      } else {
        m.lastError = outcome.error;
        if (outcome.retryAt) m.nextAttemptAt = outcome.retryAt.toISOString();
        else m.status = 'failed';
      }
    }
  }
  async release(ids: string[], at: Date): Promise<void> {
    for (const id of ids) {
      const m = this.get(id);
      m.attempts = Math.max(0, m.attempts - 1);
      m.nextAttemptAt = at.toISOString();
    }
  }
  get(id: string): OutboxMessage {
    const m = this.messages.get(id);
    if (!m) throw new Error(`no message ${id}`);
    return m;
  }
}

/** Records what reached each recipient; idempotent per message id, as the bot's sender is. */
class RecordingSender implements NotificationSender {
  readonly delivered: string[] = [];
  failing = new Set<string>();
  permanent = new Set<string>();
  async deliver(message: OutboxMessage): Promise<DeliveryResult> {
    if (this.permanent.has(message.id)) throw new PermanentDeliveryError('no such person');
    if (this.failing.has(message.id)) throw new Error('connector answered 502');
    if (this.delivered.includes(message.id)) return { status: 'skipped', reason: 'already delivered' };
    this.delivered.push(message.id);
    return { status: 'sent' };
  }
}

const start = new Date('2026-11-25T10:00:00Z');

describe('outbox dispatcher', () => {
  it('delivers each due message once and marks it sent', async () => {
    const clock = new ManualClock(start.getTime());
    const queue = new MemoryQueue();
    const sender = new RecordingSender();
    ['a', 'b', 'c'].forEach((id) => queue.add(id, start));
    const dispatcher = createDispatcher({ queue, sender, clock, batchSize: 2 });
    expect(await dispatcher.drainOnce()).toEqual({ sent: 3, skipped: 0, retrying: 0, failed: 0 });
    expect(await dispatcher.drainOnce()).toEqual({ sent: 0, skipped: 0, retrying: 0, failed: 0 });
    expect(sender.delivered).toEqual(['a', 'b', 'c']);
    expect([...queue.messages.values()].every((m) => m.status === 'sent')).toBe(true);
  });

  it('retries with backoff and marks the message failed after the limit', async () => {
    const clock = new ManualClock(start.getTime());
    const queue = new MemoryQueue();
    const sender = new RecordingSender();
    queue.add('flaky', start);
    sender.failing.add('flaky');
    const dispatcher = createDispatcher({ queue, sender, clock, maxAttempts: 3, backoff: (n) => n * 1000 });

    expect((await dispatcher.drainOnce()).retrying).toBe(1);
    expect(queue.get('flaky').nextAttemptAt).toBe(new Date(start.getTime() + 1000).toISOString());
    expect((await dispatcher.drainOnce()).retrying).toBe(0); // not due yet
    clock.advance(1000);
    expect((await dispatcher.drainOnce()).retrying).toBe(1);
    clock.advance(2000);
    expect((await dispatcher.drainOnce()).failed).toBe(1);
    expect(queue.get('flaky')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'connector answered 502' });
    clock.advance(3_600_000);
    expect(await dispatcher.drainOnce()).toEqual({ sent: 0, skipped: 0, retrying: 0, failed: 0 });
  });

  it('gives up at once on a permanent failure', async () => {
    const clock = new ManualClock(start.getTime());
    const queue = new MemoryQueue();
    const sender = new RecordingSender();
    queue.add('nobody', start);
    sender.permanent.add('nobody');
    const result = await createDispatcher({ queue, sender, clock }).drainOnce();
    expect(result.failed).toBe(1);
    expect(queue.get('nobody').status).toBe('failed');
  });

  it('after a crash mid-delivery, a restarted dispatcher delivers the undelivered once and fails the failing', async () => {
    const clock = new ManualClock(start.getTime());
    const queue = new MemoryQueue();
    const sender = new RecordingSender();
    ['sent-before-crash', 'claimed-not-sent', 'waiting', 'broken'].forEach((id) => queue.add(id, start));
    sender.failing.add('broken');

    // The first instance claims everything, delivers one message, and dies before recording it.
    const claimed = await queue.claimDue(clock.now(), 10, 60);
    expect(claimed).toHaveLength(4);
    const first = claimed[0];
    if (!first) throw new Error('nothing claimed');
    await sender.deliver(first);

    // A restarted instance sees nothing until the leases run out…
    const restarted = createDispatcher({ queue, sender, clock, maxAttempts: 2, backoff: () => 1000 });
    expect((await restarted.drainOnce()).sent).toBe(0);
    clock.advance(60_000);
    // …then delivers what was owed; the message already delivered is not sent again.
    expect(await restarted.drainOnce()).toEqual({ sent: 2, skipped: 1, retrying: 0, failed: 1 });
    expect(sender.delivered.filter((id) => id === 'sent-before-crash')).toHaveLength(1);
    expect(sender.delivered.sort()).toEqual(['claimed-not-sent', 'sent-before-crash', 'waiting']);
    expect(queue.get('broken').status).toBe('failed');
    expect(queue.get('waiting').status).toBe('sent');
  });

  it('two instances draining the same queue never deliver a message twice', async () => {
    const clock = new ManualClock(start.getTime());
    const queue = new MemoryQueue();
    const sender = new RecordingSender();
    for (let i = 0; i < 30; i += 1) queue.add(`m${i}`, start);
    const a = createDispatcher({ queue, sender, clock, batchSize: 4 });
    const b = createDispatcher({ queue, sender, clock, batchSize: 4 });
    const [ra, rb] = await Promise.all([a.drainOnce(), b.drainOnce()]);
    expect(ra.sent + rb.sent).toBe(30);
    expect(new Set(sender.delivered).size).toBe(30);
    expect(sender.delivered).toHaveLength(30);
  });

  it('runs in the background after start and stops cleanly', async () => {
    const clock = new ManualClock(Date.now());
    const queue = new MemoryQueue();
    const sender = new RecordingSender();
    const dispatcher = createDispatcher({ queue, sender, clock, pollIntervalMs: 10 });
    dispatcher.start();
    queue.add('later', clock.now());
    dispatcher.nudge();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await dispatcher.stop();
    expect(sender.delivered).toEqual(['later']);
  });

  it('at stop, writes what the finished deliveries did while another is still under way', async () => {
    const clock = new ManualClock(Date.now());
    const queue = new MemoryQueue();
    const stuck = new Promise<DeliveryResult>(() => undefined);
    const attempted = new Set<string>();
    const sender: NotificationSender = {
      deliver: async (message) => {
        attempted.add(message.id);
        if (message.id === 'stuck') return stuck;
        if (message.id === 'refused') throw new PermanentDeliveryError('no such person');
        return { status: 'sent' };
      },
    };
    // Different recipients, so each goes to a worker of its own.
    for (const id of ['sent', 'refused', 'stuck']) {
      queue.add(id, clock.now());
      queue.get(id).recipientId = id;
    }
    const dispatcher = createDispatcher({ queue, sender, clock, pollIntervalMs: 10, stopTimeoutMs: 50 });
    dispatcher.start();
    while (attempted.size < 3) await new Promise((resolve) => setImmediate(resolve));
    await dispatcher.stop();

    expect(queue.get('sent').status).toBe('sent');
    expect(queue.get('refused')).toMatchObject({ status: 'failed', lastError: 'no such person' });
    // Still leased to the delivery under way: claimed again when the lease runs out.
    expect(queue.get('stuck')).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('a delivery that never ends counts as a failed attempt after the timeout, and the others are delivered meanwhile', async () => {
    const clock = new ManualClock(Date.now());
    const queue = new MemoryQueue();
    const sender: NotificationSender = {
      deliver: async (message) => (message.id === 'hung' ? new Promise<DeliveryResult>(() => undefined) : { status: 'sent' }),
    };
    for (const id of ['hung', 'a', 'b']) {
      queue.add(id, clock.now());
      queue.get(id).recipientId = id;
    }
    // One worker: before, the hung delivery held it, and the batch, for good.
    const dispatcher = createDispatcher({ queue, sender, clock, concurrency: 1, deliveryTimeoutMs: 50, backoff: () => 5_000 });
    expect(await dispatcher.drainOnce()).toEqual({ sent: 2, skipped: 0, retrying: 1, failed: 0 });
    expect(queue.get('hung')).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/took longer than 0.05 s/) });
    expect(queue.get('hung').nextAttemptAt).toBe(new Date(clock.now().getTime() + 5_000).toISOString());
  });

  it('a delivery given up on is told so, and starts no further call when its first one answers late', async () => {
    const clock = new ManualClock(Date.now());
    const queue = new MemoryQueue();
    queue.add('slow', clock.now());
    queue.get('slow').recipientId = 'slow';
    let answerFirstCall: () => void = () => undefined;
    const calls: string[] = [];
    let lateDelivery: Promise<DeliveryResult> | null = null;
    const sender: NotificationSender = {
      deliver: (_message, signal) => {
        lateDelivery = (async () => {
          calls.push('update the card');
          await new Promise<void>((resolve) => (answerFirstCall = resolve));
          signal?.throwIfAborted();
          calls.push('post the status line');
          return { status: 'sent' };
        })();
        return lateDelivery;
      },
    };
    const dispatcher = createDispatcher({ queue, sender, clock, deliveryTimeoutMs: 50, backoff: () => 5_000 });
    expect(await dispatcher.drainOnce()).toEqual({ sent: 0, skipped: 0, retrying: 1, failed: 0 });

    answerFirstCall();
    await expect(lateDelivery).rejects.toThrow(/took longer than 0.05 s/);
    expect(calls).toEqual(['update the card']);
  });

  it('backs off exponentially up to fifteen minutes', () => {
    expect([1, 2, 3].map(exponentialBackoff)).toEqual([5000, 10000, 20000]);
    expect(exponentialBackoff(30)).toBe(900000);
  });
});
