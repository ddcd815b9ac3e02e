/**
 * Work that follows commits in the background (linking audit entries, projecting the evaluation):
 * one run at once per instance, a pause between runs, and a last run on stop so that whatever
 * committed before it is not left for the next start.
 */
export interface PollerOptions {
  /** Pause between runs (default 250 ms): the work follows its commits within about this long. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface Poller<T> {
  /** Runs now, then keeps polling. */
  start(): void;
  /** Stops polling, waits for the run in progress and runs once more. */
  stop(): Promise<void>;
  /** One run now; resolves when it is done (a run already going is joined, then one more follows). */
  runOnce(): Promise<T>;
}

export function createPoller<T>(run: () => Promise<T>, options: PollerOptions = {}): Poller<T> {
  const intervalMs = options.intervalMs ?? 250;
  const onError = options.onError ?? (() => undefined);
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let current: Promise<T> | null = null;

  function runOnce(): Promise<T> {
    // Runs never overlap within an instance: a new one starts after the one in progress.
    const next = (current ?? Promise.resolve()).catch(() => undefined).then(run);
    current = next;
    void next
      .finally(() => {
        if (current === next) current = null;
      })
      .catch(() => undefined);
    return next;
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      runOnce()
        .catch(onError)
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  return {
    start() {
      if (running) return;
      running = true;
      runOnce().catch(onError).finally(schedule);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await runOnce().catch(onError);
    },
    runOnce,
  };
}
