/**
 * The once-a-minute window for identical refusals, without a database: what is written when a
 * window is full, and that a count whose write fails is kept for the next flush.
 */
import type { AppDeps } from '../../../src/app/deps';
import type { UnitOfWork } from '../../../src/app/ports';
import { auditRefusalOnce, flushRefusalCounts, MAX_TRACKED_REFUSALS, type RepeatCount } from '../../../src/app/refusal-window';

function fakeDeps(now: { at: Date }, failing: { on: boolean }): AppDeps {
  const store = {
    async transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
      if (failing.on) throw new Error('database down');
      return work({} as UnitOfWork);
    },
  };
  return { store, clock: { now: () => now.at } } as unknown as AppDeps;
}

describe('refusal windows', () => {
  test('when the windows are full, their counts are written rather than dropped', async () => {
    const now = { at: new Date('2026-06-01T09:00:00Z') };
    const deps = fakeDeps(now, { on: false });
    const written: [string, string, RepeatCount][] = [];
    const refuse = (key: string) => auditRefusalOnce(deps, [key], async (_uow, at, repeats) => written.push([key, at, repeats]));
    for (let i = 0; i < MAX_TRACKED_REFUSALS; i += 1) await refuse(`k${i}`);
    await refuse('k7');
    await refuse('k7');
    expect(written).toHaveLength(MAX_TRACKED_REFUSALS);
    now.at = new Date('2026-06-01T09:00:10Z');
    await refuse('one too many');
    expect(written.slice(MAX_TRACKED_REFUSALS)).toEqual([
      ['one too many', '2026-06-01T09:00:10.000Z', {}],
      ['k7', '2026-06-01T09:00:10.000Z', { repeatedInLastMinute: 2 }],
    ]);
    // The others were forgotten: k7 is written afresh, without a count.
    await refuse('k7');
    expect(written.at(-1)).toEqual(['k7', '2026-06-01T09:00:10.000Z', {}]);
    expect(await flushRefusalCounts(deps, { all: true })).toBe(0);
  });

  test('a count whose write fails is kept, and written by the next flush', async () => {
    const now = { at: new Date('2026-06-01T09:00:00Z') };
    const failing = { on: false };
    const deps = fakeDeps(now, failing);
    const written: RepeatCount[] = [];
    const refuse = () => auditRefusalOnce(deps, ['amelia.hart', null, 'authorise', 'No.'], async (_uow, _at, repeats) => written.push(repeats));
    for (let i = 0; i < 3; i += 1) await refuse();
    now.at = new Date('2026-06-01T09:01:00Z');
    failing.on = true;
    await expect(flushRefusalCounts(deps)).rejects.toThrow('database down');
    failing.on = false;
    expect(await flushRefusalCounts(deps)).toBe(1);
    expect(await flushRefusalCounts(deps, { all: true })).toBe(0);
    expect(written).toEqual([{}, { repeatedInLastMinute: 2 }]);
  });
});
