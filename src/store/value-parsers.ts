/**
 * How both databases return values the domain types carry as text or numbers: timestamps as ISO
 * 8601 strings (`2026-01-02T03:04:05.678Z`), dates as `yyyy-mm-dd`, bigints as numbers. Its own
 * module so the thread that runs PGlite loads it without node-postgres.
 */

export const OID = { int8: 20, date: 1082, timestamptz: 1184 } as const;

/**
 * `2026-01-02 03:04:05.678+00` (or with any session time zone's offset, e.g. `+05:30`) → ISO 8601
 * in UTC. Parsed by hand because the session time zone cannot always be set (connection poolers).
 */
const TIMESTAMPTZ = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/;
const UTC_TIMESTAMPTZ = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?\+00$/;
export function parseTimestamptz(value: string): string {
  // A session in UTC (the usual case) already writes the instant: only the layout changes, which is
  // far cheaper than building a Date for every timestamp of every row.
  if (UTC_TIMESTAMPTZ.test(value)) return `${value.slice(0, 10)}T${value.slice(11, 19)}.${value.slice(20, -3).slice(0, 3).padEnd(3, '0')}Z`;
  const m = TIMESTAMPTZ.exec(value);
  if (!m) return value; // infinity, -infinity and BC dates: left as PostgreSQL wrote them
  const n = (i: number): number => Number(m[i] ?? 0);
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetSeconds = (m[8] === '-' ? -1 : 1) * (n(9) * 3600 + n(10) * 60 + n(11));
  return new Date(Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), millis) - offsetSeconds * 1000).toISOString();
}

export const TEXT_PARSERS: Record<number, (value: string) => unknown> = {
  [OID.int8]: Number,
  [OID.date]: (value: string) => value,
  [OID.timestamptz]: parseTimestamptz,
};
