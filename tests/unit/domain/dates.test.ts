import { addCalendarDays, formatDate, parseUkDate, fromLondonWallClock, londonDate, londonDayEnd, londonWallClock } from '../../../src/domain/dates';

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

describe('formatDate', () => {
  it('shows a calendar date as it is, and an instant as its London date (a UTC date is a day early from midnight to 01:00 BST)', () => {
    expect(formatDate('2026-06-10')).toBe('10/06/2026');
    expect(formatDate('2026-06-10T23:30:00.000Z')).toBe('11/06/2026');
    expect(formatDate('2026-12-10T23:30:00.000Z')).toBe('10/12/2026');
  });
});

describe('the years a date may fall in', () => {
  it('refuses year 0 (PostgreSQL refuses it) and years past the London calendar, which were HTTP 500s', () => {
    expect(parseUkDate('0000-01-01')).toBeNull();
    expect(parseUkDate('31/12/9999')).toBeNull();
    expect(parseUkDate('31/12/1899')).toBeNull();
    expect(parseUkDate('01/01/1900')).toBe('1900-01-01');
    expect(parseUkDate('31/12/2999')).toBe('2999-12-31');
  });
});

describe('London days', () => {
  it('adds calendar days across month, year and clock-change boundaries', () => {
    expect(addCalendarDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
  });
  it('ends a day at its last millisecond in London, in winter and in summer, and on the days the clocks change', () => {
    expect(londonDayEnd('2026-12-23').toISOString()).toBe('2026-12-23T23:59:59.999Z');
    expect(londonDayEnd('2026-07-09').toISOString()).toBe('2026-07-09T22:59:59.999Z');
    expect(londonDayEnd('2026-03-29').toISOString()).toBe('2026-03-29T22:59:59.999Z');
    expect(londonDayEnd('2026-10-25').toISOString()).toBe('2026-10-25T23:59:59.999Z');
  });
});

describe('London wall-clock time (evidence "captured at")', () => {
  test.each([
    ['2026-12-03', '13:29', '2026-12-03T13:29:00.000Z'],
    ['2026-07-01', '09:00', '2026-07-01T08:00:00.000Z'],
    ['2026-03-29', '00:59', '2026-03-29T00:59:00.000Z'],
    ['2026-03-29', '02:00', '2026-03-29T01:00:00.000Z'],
    // The clocks go back at 02:00 BST on 25 October 2026: 01:30 happens twice; the first is taken.
    ['2026-10-25', '01:30', '2026-10-25T00:30:00.000Z'],
  ])('%s %s in London is %s, whatever the device’s time zone', (date, time, iso) => {
    const at = fromLondonWallClock(date, time);
    expect(at?.toISOString()).toBe(iso);
    if (at) expect(londonWallClock(at)).toEqual({ date, time });
  });

  test.each([
    ['2026-03-29', '01:30'],
    ['2026-02-31', '10:00'],
    ['2026-12-03', '24:00'],
    ['2026-12-03', '9:00'],
    ['03/12/2026', '10:00'],
  ])('%s %s is not a London time: null', (date, time) => {
    expect(fromLondonWallClock(date, time)).toBeNull();
  });
});
