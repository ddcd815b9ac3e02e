import { londonDate } from '../../../src/domain/dates';

const reference = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('londonDate', () => {
  it('gives the London calendar date for every quarter hour of a year, across both clock changes', () => {
    const start = Date.UTC(2026, 0, 1);
    const mismatches: string[] = [];
    for (let t = start; t < Date.UTC(2027, 0, 1); t += 15 * 60_000) {
      const at = new Date(t);
      // Asked twice, so the second answer comes from what the first remembered.
      if (londonDate(at) !== reference.format(at) || londonDate(new Date(t + 59_999)) !== reference.format(new Date(t + 59_999))) mismatches.push(at.toISOString());
    }
    expect(mismatches).toEqual([]);
  });

  it('turns at London midnight in summer (23:00 UTC) and in winter (00:00 UTC)', () => {
    expect(londonDate(new Date('2026-06-30T22:59:59.999Z'))).toBe('2026-06-30');
    expect(londonDate(new Date('2026-06-30T23:00:00.000Z'))).toBe('2026-07-01');
    expect(londonDate(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31');
    expect(londonDate(new Date('2027-01-01T00:00:00.000Z'))).toBe('2027-01-01');
  });

  it('refuses an invalid instant every time, rather than remembering an answer for it', () => {
    expect(() => londonDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => londonDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});
