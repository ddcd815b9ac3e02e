/** Date helpers. Dates are ISO (YYYY-MM-DD) inside; people see dd/mm/yyyy, Europe/London. */
// Made when first used: building a formatter loads the time zone data, which every process that
// imports the domain (the server at start-up, audit:verify) would otherwise pay for.
let london: Intl.DateTimeFormat | undefined;
let londonTime: Intl.DateTimeFormat | undefined;
const londonDay = (): Intl.DateTimeFormat =>
  (london ??= new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }));
const londonMinute = (): Intl.DateTimeFormat =>
  (londonTime ??= new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }));

const HOUR_MS = 3_600_000;
/**
 * London dates by UTC hour. London's offset from UTC is always a whole number of hours, so every
 * instant within one UTC hour falls on the same London date; formatToParts is slow enough that
 * policy checks, which ask for today once per ability, spent a fifth of the server's time in it.
 */
const londonDateByHour = new Map<number, string>();

/** Today's calendar date in London, as YYYY-MM-DD. */
export function londonDate(at: Date): string {
  const hour = Math.floor(at.getTime() / HOUR_MS);
  const known = londonDateByHour.get(hour);
  if (known !== undefined) return known;
  const parts = Object.fromEntries(londonDay().formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  if (londonDateByHour.size >= 10_000) londonDateByHour.clear();
  londonDateByHour.set(hour, date);
  return date;
}

/** The instant a calendar day (YYYY-MM-DD) starts in London. */
export function londonDayStart(iso: string): Date {
  const utcMidnight = new Date(`${iso}T00:00:00Z`);
  // London is on UTC or UTC+1: its midnight is 00:00 UTC that day or 23:00 UTC the day before.
  const summer = new Date(utcMidnight.getTime() - 3_600_000);
  return londonDate(summer) === iso ? summer : utcMidnight;
}

const UK_DATE = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a date as people in the UK write it (day/month/year, four-digit year) and gives it as
 * YYYY-MM-DD, or null when it is incomplete, ambiguous (a two-digit year) or impossible
 * (31/02/2017). An ISO date passes through, so values saved earlier read back unchanged.
 */
export function parseUkDate(text: string): string | null {
  if (ISO_DATE.test(text)) return isRealDate(text) ? text : null;
  const match = UK_DATE.exec(text);
  if (!match) return null;
  const iso = `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
  return isRealDate(iso) ? iso : null;
}

/**
 * The years a date in this service may fall in: PostgreSQL's date refuses year 0, the London
 * calendar cannot go past 9999, and no one checked or born falls outside these.
 */
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '2999-12-31';

/** Whether a YYYY-MM-DD date is within FIRST_DATE and LAST_DATE. */
export function inServiceRange(iso: string): boolean {
  return iso >= FIRST_DATE && iso <= LAST_DATE;
}

function isRealDate(iso: string): boolean {
  const at = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === iso && inServiceRange(iso);
}

/**
 * A calendar date (YYYY-MM-DD) as dd/mm/yyyy; an instant (an ISO date-time) as the date it was
 * in London — its first ten characters are the UTC date, a day early from midnight to 01:00 BST.
 */
export function formatDate(iso: string): string {
  const date = iso.length > 10 ? londonDate(new Date(iso)) : iso;
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** The calendar date (YYYY-MM-DD) `days` after the date `iso`. */
export function addCalendarDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last moment of a calendar day (YYYY-MM-DD) in London: "use by" that date means through it. */
export function londonDayEnd(iso: string): Date {
  return new Date(londonDayStart(addCalendarDays(iso, 1)).getTime() - 1);
}

export function formatDateTime(iso: string): string {
  return londonMinute().format(new Date(iso)).replace(',', '');
}

/** An instant's wall-clock date (YYYY-MM-DD) and time (HH:MM) in London. */
export function londonWallClock(at: Date): { date: string; time: string } {
  const parts = Object.fromEntries(londonMinute().formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}` };
}

/**
 * The instant a London wall-clock date (YYYY-MM-DD) and time (HH:MM) name, or null when they are
 * not real (31/02, 25:00) or the clocks skipped that minute (01:30 on the last Sunday of March).
 * In the hour the clocks go back, the first of the two is taken.
 */
export function fromLondonWallClock(date: string, time: string): Date | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!isRealDate(date) || !match || Number(match[1]) > 23 || Number(match[2]) > 59) return null;
  const wall = Date.parse(`${date}T${time}:00Z`);
  // London is on UTC+1 or UTC: the summer reading is the earlier instant.
  for (const offsetHours of [1, 0]) {
    const at = new Date(wall - offsetHours * 3_600_000);
    const back = londonWallClock(at);
    if (back.date === date && back.time === time) return at;
  }
  return null;
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}

/** Whole working days (Monday to Friday) between two instants. */
export function workingDaysBetween(from: Date, to: Date): number {
  let days = 0;
  const cursor = new Date(from.getTime());
  while (cursor.getTime() + 86_400_000 <= to.getTime()) {
    cursor.setTime(cursor.getTime() + 86_400_000);
    const day = cursor.getUTCDay();
    if (day !== 0 && day !== 6) days += 1;
  }
  return days;
}

/**
 * The London calendar date `months` after the instant `iso`, as YYYY-MM-DD; a day the month lacks
 * (31 January + 1 month) becomes the month's last day.
 */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = londonDate(new Date(iso)).split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
