/**
 * Repeated identical refusals (same person, request, ability and reason) are audited once per
 * minute, with a count, so a script retrying cannot flood the timeline. The first is written at
 * once and opens a window of a minute in which the rest are only counted. When the window closes
 * its count is written as an entry of its own carrying `detail.repeatedInLastMinute`: by
 * `flushRefusalCounts`, which the server runs every few seconds and once more, for every open
 * window, at shutdown; or, if an identical refusal comes after the minute before the flush, on
 * that refusal's own entry. Every refusal the app audits (the gate's, retention's) comes through
 * here. Counted per instance (per AppDeps).
 */
import type { AppDeps } from './deps';
import type { UnitOfWork } from './ports';

export const REFUSAL_WINDOW_MS = 60_000;
/** Windows kept at most; when full, their counts are written and the windows start afresh. */
export const MAX_TRACKED_REFUSALS = 10_000;
/** How often the server writes the counts of windows that have closed. */
export const REFUSAL_FLUSH_EVERY_MS = 15_000;

/** What a refusal's entry adds to its detail: the identical refusals counted since the last entry, if any. */
export interface RepeatCount {
  repeatedInLastMinute?: number;
}

/**
 * Appends one refusal's audit entry in the transaction given, at `at`, adding `repeats` to its
 * detail. It may write nothing (a refusal about a request that does not exist).
 */
export type WriteRefusal = (uow: UnitOfWork, at: string, repeats: RepeatCount) => Promise<unknown>;

interface RefusalWindow {
  since: number;
  repeats: number;
  /** Writes the entry for the latest refusal counted. */
  write: WriteRefusal;
}

const windowsByDeps = new WeakMap<AppDeps, Map<string, RefusalWindow>>();

function windowsOf(deps: AppDeps): Map<string, RefusalWindow> {
  let windows = windowsByDeps.get(deps);
  if (!windows) windowsByDeps.set(deps, (windows = new Map()));
  return windows;
}

function repeatCount(repeats: number): RepeatCount {
  return repeats > 0 ? { repeatedInLastMinute: repeats } : {};
}

/**
 * Audits a refusal identified by `key` (person, request, ability, reason) through its window:
 * written at once, in a transaction of its own, unless an identical one opened a window less than
 * a minute ago, in which case it is only counted.
 */
export async function auditRefusalOnce(deps: AppDeps, key: readonly unknown[], write: WriteRefusal): Promise<void> {
  const windows = windowsOf(deps);
  const now = deps.clock.now();
  const id = JSON.stringify(key);
  const open = windows.get(id);
  if (open && now.getTime() - open.since < REFUSAL_WINDOW_MS) {
    open.repeats += 1;
    open.write = write;
    return;
  }
  // A closed window not yet flushed: its count goes on this entry.
  const carried = open?.repeats ?? 0;
  windows.delete(id);
  // Full: every window's count is written rather than dropped (each window taken out before any
  // await, so no other call writes it too).
  const overflow = windows.size >= MAX_TRACKED_REFUSALS ? takeWindows(windows, () => true) : [];
  windows.set(id, { since: now.getTime(), repeats: 0, write });
  await deps.store.transaction((uow) => write(uow, now.toISOString(), repeatCount(carried)));
  await writeCounts(deps, windows, overflow);
}

/**
 * Writes the count of every window that has closed (a minute old) with refusals counted in it, one
 * entry each in a transaction of its own, and forgets every closed window; with `all`, of every
 * window, closed or not (at shutdown). Returns the entries written. A count that fails to be
 * written is kept for the next flush, and the first failure thrown once the rest are written.
 */
export async function flushRefusalCounts(deps: AppDeps, options: { all?: boolean } = {}): Promise<number> {
  const windows = windowsByDeps.get(deps);
  if (!windows) return 0;
  const now = deps.clock.now().getTime();
  return writeCounts(deps, windows, takeWindows(windows, (window) => options.all === true || now - window.since >= REFUSAL_WINDOW_MS));
}

/** Removes the windows `due` picks and returns those with a count to write. */
function takeWindows(windows: Map<string, RefusalWindow>, due: (window: RefusalWindow) => boolean): [string, RefusalWindow][] {
  const taken: [string, RefusalWindow][] = [];
  for (const [id, window] of windows) {
    if (!due(window)) continue;
    windows.delete(id);
    if (window.repeats > 0) taken.push([id, window]);
  }
  return taken;
}

async function writeCounts(deps: AppDeps, windows: Map<string, RefusalWindow>, taken: [string, RefusalWindow][]): Promise<number> {
  let written = 0;
  let failure: { error: unknown } | null = null;
  for (const [id, window] of taken) {
    try {
      await deps.store.transaction((uow) => window.write(uow, deps.clock.now().toISOString(), repeatCount(window.repeats)));
      written += 1;
    } catch (error) {
      failure ??= { error };
      // Kept: the next flush (or the next identical refusal) writes it.
      const current = windows.get(id);
      if (current) current.repeats += window.repeats;
      else windows.set(id, window);
    }
  }
  if (failure) throw failure.error;
  return written;
}
