/** Date helpers. Dates are ISO (YYYY-MM-DD) inside; people see dd/mm/yyyy, Europe/London. */
const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Today's calendar date in London, as YYYY-MM-DD. */
export function londonDate(at: Date): string {
  const parts = Object.fromEntries(london.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function formatDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

export function formatDateTime(iso: string): string {
  return londonTime.format(new Date(iso)).replace(',', '');
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
