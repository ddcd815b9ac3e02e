/**
 * Drains the outbox: claims due messages (FOR UPDATE SKIP LOCKED, leased, so several server
 * instances never take the same message at once), hands each to the sender, and records the
 * outcome — sent, retry later with backoff, or failed after the last attempt. A crash between
 * claim and outcome leaves the lease to run out and the message is claimed again; the sender's
 * idempotency then stops a second copy.
 */
import type { Clock, OutboxMessage, OutboxQueue } from '../app/ports';
import { PermanentDeliveryError, type NotificationSender } from './ports';

export interface DispatcherOptions {
  queue: OutboxQueue;
  sender: NotificationSender;
  clock: Clock;
  /** Attempts before a message is marked failed (counting the first). */
  maxAttempts?: number;
  /** Delay before the next attempt, given the number of attempts made so far. */
  backoff?: (attempts: number) => number;
  batchSize?: number;
  /** How long a claimed message is hidden from other instances while being delivered. */
  leaseSeconds?: number;
  /** Pause between polls when the outbox is empty. */
  pollIntervalMs?: number;
  onError?: (error: unknown, message: OutboxMessage | null) => void;
}

export interface DrainResult {
  sent: number;
  skipped: number;
  retrying: number;
  failed: number;
}

export interface Dispatcher {
  start(): void;
  /** Stops polling and waits for the delivery in progress to finish. */
  stop(): Promise<void>;
  /** Delivers everything due now; used by tests and after a state change for low latency. */
  drainOnce(): Promise<DrainResult>;
  /** Asks the running loop to poll now rather than at the next interval. */
  nudge(): void;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** 5 s, 10 s, 20 s … capped at 15 minutes. */
export function exponentialBackoff(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { queue, sender, clock } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = options.backoff ?? exponentialBackoff;
  const batchSize = options.batchSize ?? 20;
  const leaseSeconds = options.leaseSeconds ?? 60;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const onError = options.onError ?? (() => undefined);

  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();
  let draining: Promise<DrainResult> | null = null;
  let again = false;

  async function deliverOne(message: OutboxMessage, result: DrainResult): Promise<void> {
    try {
      const outcome = await sender.deliver(message);
      await queue.markSent(message.id, clock.now());
      if (outcome.status === 'sent') result.sent += 1;
      else result.skipped += 1;
    } catch (error) {
      onError(error, message);
      const text = error instanceof Error ? error.message : String(error);
      // claimDue has already counted this attempt.
      const giveUp = error instanceof PermanentDeliveryError || message.attempts >= maxAttempts;
      const retryAt = giveUp ? null : new Date(clock.now().getTime() + backoff(message.attempts));
      await queue.markFailed(message.id, text.slice(0, 2000), retryAt);
      if (giveUp) result.failed += 1;
      else result.retrying += 1;
    }
  }

  async function drain(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
    for (;;) {
      const batch = await queue.claimDue(clock.now(), batchSize, leaseSeconds);
      // In order, so that a card and its later update reach a person in the order written.
      for (const message of batch) await deliverOne(message, result);
      if (batch.length < batchSize) return result;
    }
  }

  function drainOnce(): Promise<DrainResult> {
    // One drain at a time per instance; a second caller waits for the one under way.
    draining ??= drain().finally(() => {
      draining = null;
    });
    return draining;
  }

  function schedule(delay: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      again = false;
      current = drainOnce()
        .catch((error: unknown) => onError(error, null))
        .finally(() => schedule(again ? 0 : pollIntervalMs));
    }, delay);
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await current;
    },
    drainOnce,
    nudge() {
      // While a drain runs, `again` makes the loop go round at once when it ends.
      again = true;
      if (timer) schedule(0);
    },
  };
}
