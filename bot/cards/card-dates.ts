/**
 * Dates as a card shows them: dd/mm/yyyy, and instants with the time, in Europe/London. A draft may
 * still lack any of its dates (kept as ''), and a card must never print "undefined" or throw on
 * a value that is not a date, so anything missing or malformed reads "not given".
 */
import { formatDate, formatDateTime, parseUkDate } from '../../src/domain/dates';

export const NOT_GIVEN = 'not given';

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
// Only the form toISOString writes: Date.parse alone accepts almost anything.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && parseUkDate(value.slice(0, 10)) !== null;
}

/** A calendar date (YYYY-MM-DD) or an instant, as the London date dd/mm/yyyy. */
export function cardDate(value: string | null | undefined): string {
  if (!value) return NOT_GIVEN;
  if (CALENDAR_DATE.test(value)) return parseUkDate(value) === value ? formatDate(value) : NOT_GIVEN;
  return isInstant(value) ? formatDate(value) : NOT_GIVEN;
}

/** An instant as the London date and time, dd/mm/yyyy hh:mm. */
export function cardDateTime(value: string | null | undefined): string {
  return value && isInstant(value) ? formatDateTime(value) : NOT_GIVEN;
}
