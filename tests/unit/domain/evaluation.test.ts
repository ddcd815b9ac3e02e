/** The pure helpers of the pilot's figures; the figures themselves are counted in the store (tests/integration/evaluation/tallies.test.ts). */
import { median, outcomeOf, tallyQuery } from '../../../src/domain/evaluation';

describe('evaluation helpers', () => {
  test('median and outcome helpers', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(outcomeOf({ state: 'cancelled', closingAction: 'resolve-doubt' })).toBe('cancelled');
    expect(outcomeOf({ state: 'cancelled', closingAction: 'withdraw' })).toBe('withdrawn');
    expect(outcomeOf({ state: 'expired', closingAction: 'expire' })).toBe('lapsed');
  });

  test('the store is asked for follow-ups shared 182 days before now, and time in the dashboard’s buckets', () => {
    const query = tallyQuery({ from: '2026-06-01', to: '2026-06-30', now: new Date('2026-11-30T12:00:00Z'), followUpDays: 182 });
    expect(query.followUpDueBefore.toISOString()).toBe('2026-06-01T12:00:00.000Z');
    expect(query.bucketBoundsSeconds).toEqual([1800, 3600, 7200, 14400]);
  });
});
