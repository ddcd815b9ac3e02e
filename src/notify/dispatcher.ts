/**
 * Drains the outbox: claims due messages (FOR UPDATE SKIP LOCKED, leased, so several server
 * instances never take the same message at once), hands each to the sender, and records the
 * outcome — sent, retry later with backoff, or failed after the last attempt. A crash between
 * claim and outcome leaves the lease to run out and the message is claimed again; the sender's
 * idempotency then stops a second copy.
 */
import type { Clock, OutboxMessage, OutboxOutcome, OutboxQueue } from '../app/ports';
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
  /** Messages delivered at once; messages to the same person (or request) still go one after another. */
  concurrency?: number;
  /** How long stop() waits for deliveries under way; claimed messages not yet started are released at once. */
  stopTimeoutMs?: number;
  /** How long a claimed message is hidden from other instances while being delivered. */
  leaseSeconds?: number;
  /** How long one delivery may take before it counts as a failed attempt (retried with backoff). */
  deliveryTimeoutMs?: number;
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
  /**
   * Stops polling, hands back the claimed messages not yet started (due at once for the next
   * start), and waits for the deliveries under way, at most `stopTimeoutMs`.
   */
  stop(): Promise<void>;
  /** Delivers everything due now; used by tests and after a state change for low latency. */
  drainOnce(): Promise<DrainResult>;
  /** Asks the running loop to poll now rather than at the next interval. */
  nudge(): void;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_CONCURRENCY = 8;
/** Shutdown must finish within 10 s (App Service waits no longer); the rest is left for the next start. */
export const DEFAULT_STOP_TIMEOUT_MS = 8_000;
/**
 * Well inside the lease (60 s), so a delivery given up on is not also claimed by another instance
 * while it is still under way; a connector that never answers cannot hold the whole outbox.
 */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;
/** How long an outcome waits for others to be written with it. */
const RECORD_DELAY_MS = 20;
/** How long stop() gives the last outcomes to be written, after the deliveries' own bound. */
const RECORD_ON_STOP_MS = 1_000;

/** 5 s, 10 s, 20 s … capped at 15 minutes. */
export function exponentialBackoff(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { queue, sender, clock } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = options.backoff ?? exponentialBackoff;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const batchSize = options.batchSize ?? Math.max(20, concurrency * 4);
  const leaseSeconds = options.leaseSeconds ?? 60;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const deliveryTimeoutMs = Math.min(options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS, leaseSeconds * 500);
  const onError = options.onError ?? (() => undefined);

  let running = false;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();
  let draining: Promise<DrainResult> | null = null;
  let again = false;
  /** Claimed messages no worker has started, by ordering key; emptied and released on stop. */
  let waiting: OutboxMessage[][] = [];
  let unrecorded: OutboxOutcome[] = [];
  let recordTimer: NodeJS.Timeout | null = null;
  let recording: Promise<void> = Promise.resolve();

  /** Writes every outcome gathered so far; should the write fail, those messages wait for their lease. */
  function recordNow(): Promise<void> {
    if (recordTimer) clearTimeout(recordTimer);
    recordTimer = null;
    const outcomes = unrecorded;
    unrecorded = [];
    if (outcomes.length > 0) recording = recording.then(() => queue.record(outcomes)).catch((error: unknown) => onError(error, null));
    return recording;
  }

  /**
   * An outcome is written within RECORD_DELAY_MS, with the others that came meanwhile, while the
   * workers go on: one write per message was as many statements as delivering it.
   */
  function note(outcome: OutboxOutcome): void {
    unrecorded.push(outcome);
    recordTimer ??= setTimeout(() => void recordNow(), RECORD_DELAY_MS);
  }

  async function deliverOne(message: OutboxMessage, result: DrainResult): Promise<OutboxOutcome> {
    try {
      const outcome = await withinTimeout((signal) => sender.deliver(message, signal), deliveryTimeoutMs);
      if (outcome.status === 'sent') result.sent += 1;
      else result.skipped += 1;
      return { id: message.id, attempts: message.attempts, sentAt: clock.now() };
    } catch (error) {
      onError(error, message);
      const text = error instanceof Error ? error.message : String(error);
      // claimDue has already counted this attempt.
      const giveUp = error instanceof PermanentDeliveryError || message.attempts >= maxAttempts;
      if (giveUp) result.failed += 1;
      else result.retrying += 1;
      const retryAt = giveUp ? null : new Date(clock.now().getTime() + backoff(message.attempts));
      return { id: message.id, attempts: message.attempts, error: text.slice(0, 2000), retryAt };
    }
  }

  /**
   * A card and its later update must reach a person in the order written, so messages are grouped
   * by request and recipient and each group is delivered in order by one worker; different groups
   * go in parallel.
   */
  function groupsOf(batch: OutboxMessage[]): OutboxMessage[][] {
    const groups = new Map<string, OutboxMessage[]>();
    for (const message of batch) {
      const key = message.requestId || message.recipientId ? `${message.requestId ?? ''}|${message.recipientId ?? ''}` : message.id;
      const group = groups.get(key);
      if (group) group.push(message);
      else groups.set(key, [message]);
    }
    return [...groups.values()];
  }

  async function worker(result: DrainResult): Promise<void> {
    while (!stopping) {
      const group = waiting.shift();
      if (!group) return;
      for (const [i, message] of group.entries()) {
        if (stopping) {
          waiting.push(group.slice(i));
          return;
        }
        note(await deliverOne(message, result));
      }
    }
  }

  async function drain(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
    while (!stopping) {
      const batch = await queue.claimDue(clock.now(), batchSize, leaseSeconds);
      waiting = groupsOf(batch);
      await Promise.all(Array.from({ length: Math.min(concurrency, waiting.length) }, () => worker(result)));
      if (batch.length < batchSize) break;
    }
    if (stopping) await releaseWaiting();
    // Whoever waits for a drain sees its outcomes written.
    await recordNow();
    return result;
  }

  /** Claimed but not started: due again at once, this attempt not counted. */
  async function releaseWaiting(): Promise<void> {
    const ids = waiting.flat().map((m) => m.id);
    waiting = [];
    if (ids.length > 0) await queue.release(ids, clock.now());
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
      stopping = false;
      schedule(0);
    },
    async stop() {
      running = false;
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      try {
        await releaseWaiting();
      } catch (error) {
        // Unreleased messages are claimed again when their lease runs out.
        onError(error, null);
      }
      let bound: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        bound = setTimeout(resolve, stopTimeoutMs);
      });
      // A delivery still under way after the bound keeps its lease; the sender's idempotency
      // stops a second copy when it is claimed again after the next start.
      await Promise.race([Promise.all([current, draining]), timeout]).catch(() => undefined);
      clearTimeout(bound);
      // The deliveries that did finish are written even when one is still under way.
      const last = new Promise<void>((resolve) => {
        bound = setTimeout(resolve, RECORD_ON_STOP_MS);
      });
      await Promise.race([recordNow(), last]);
      clearTimeout(bound);
    },
    drainOnce,
    nudge() {
      // While a drain runs, `again` makes the loop go round at once when it ends.
      again = true;
      if (timer) schedule(0);
    },
  };
}

/**
 * The delivery's answer, or a failure once `ms` have passed: a batch waits for all its workers, so
 * one delivery that never ends (a connector that takes the call and never answers) stopped every
 * notification to everyone. The delivery's signal is then aborted, so it starts no further call
 * (a card posted after the retry had posted its own would be a second copy); a late answer to the
 * call under way is dropped, and the retry's idempotency stops a second copy of that one.
 */
function withinTimeout<T>(delivery: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`The delivery took longer than ${ms / 1000} s; it will be tried again.`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  return Promise.race([delivery(controller.signal), limit]).finally(() => clearTimeout(timer));
}
