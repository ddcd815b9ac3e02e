/**
 * Runs the directory sync at start-up and then on a schedule. A failed run changes nothing (see
 * sync-directory.ts) and is tried again sooner, with back-off doubling from `firstRetryMs` up to
 * the regular interval, so a throttled or unavailable directory is not hammered.
 */
import type { DirectorySyncRun, DirectorySyncTrigger } from '../ports';

export interface DirectorySyncSchedule {
  stop(): void;
}

export interface ScheduleOptions {
  intervalMs: number;
  firstRetryMs: number;
  onError(error: unknown): void;
  onRun?(run: DirectorySyncRun): void;
}

/** The wait before the next run: the interval after a success, back-off after `failures` failures in a row. */
export function nextSyncDelay(failures: number, options: Pick<ScheduleOptions, 'intervalMs' | 'firstRetryMs'>): number {
  if (failures === 0) return options.intervalMs;
  return Math.min(options.intervalMs, options.firstRetryMs * 2 ** (failures - 1));
}

export function scheduleDirectorySync(run: (trigger: DirectorySyncTrigger) => Promise<DirectorySyncRun>, options: ScheduleOptions): DirectorySyncSchedule {
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const once = async (trigger: DirectorySyncTrigger) => {
    try {
      const result = await run(trigger);
      options.onRun?.(result);
      failures = result.status === 'failed' ? failures + 1 : 0;
    } catch (error) {
      options.onError(error);
      failures += 1;
    }
    if (stopped) return;
    timer = setTimeout(() => void once('schedule'), nextSyncDelay(failures, options));
    timer.unref();
  };
  void once('startup');
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
