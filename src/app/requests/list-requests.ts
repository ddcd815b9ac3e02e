/**
 * The request list every surface reads (the tab's tabs, the bot's "waiting for me" and welcome
 * cards): filtered in the database by what the caller may see — the policy's `view`, as a
 * condition — and paged by keyset, so no number of other requests can push one out of view.
 */
import { z } from 'zod';
import type { Condition } from '../../domain/conditions';
import type { Person } from '../../domain/roles';
import { AppError } from '../../domain/errors';
import { addDays, londonDate, londonDayStart, parseUkDate } from '../../domain/dates';
import { parseForm, safeString } from '../../domain/forms';
import { isOverdue } from '../../domain/reminders';
import { conditionKey, whereCan, whereParticipant, whereWaiting } from '../../domain/policy';
import { REQUEST_STATES } from '../../domain/states';
import type { AppDeps } from '../deps';
import type { Caller, RequestListKey } from '../ports';
import { buildView, displayNames, namedPeople, type RequestView } from './view';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .optional()
  .transform((v) => v === true || v === 'true' || v === '1');

const ukDate = (what: string) =>
  safeString()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const iso = parseUkDate(v);
      if (!iso) ctx.addIssue({ code: 'custom', message: `Enter ${what} as a real date, day/month/year, for example 14/03/2026.` });
      return iso ?? undefined;
    });

export const listRequestsQuerySchema = z.object({
  state: safeString()
    .max(400, { error: 'Use one of the request states.' })
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined))
    .pipe(z.array(z.enum(REQUEST_STATES, { error: 'Use one of the request states.' })).max(REQUEST_STATES.length).optional())
    .describe('Comma-separated states'),
  // The descriptions below are the OpenAPI document's (src/server/openapi.ts).
  mine: flag.describe('Only requests the caller plays a part in'),
  waiting: flag.describe('Only requests waiting for a step of the caller’s (the policy’s `waiting` actions)'),
  shared: flag.describe('Only requests whose log has been shared with the caller'),
  q: safeString()
    .trim()
    .max(200, { error: 'Search for at most 200 characters.' })
    .optional()
    .transform((v) => (v ? v.replace(/\s+/g, ' ') : undefined))
    .describe(
      'Words to find: in the reference and case reference of any request listed, and in the names of the children and of the people to check where the caller may see the request’s personal details',
    ),
  raisedFrom: ukDate('the first day raised').describe('Raised on or after this day (dd/mm/yyyy or YYYY-MM-DD, London)'),
  raisedTo: ukDate('the last day raised').describe('Raised on or before this day'),
  cursor: safeString().max(400).optional().describe('Where the previous page ended: its `nextCursor`'),
  limit: z.coerce.number({ error: `Ask for 1 to ${MAX_PAGE} requests.` }).int(`Ask for 1 to ${MAX_PAGE} requests.`).min(1, `Ask for 1 to ${MAX_PAGE} requests.`).max(MAX_PAGE, `Ask for 1 to ${MAX_PAGE} requests.`).default(DEFAULT_PAGE),
});

export interface RequestPage {
  items: ListedRequest[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  counts: { waitingForMe: number };
}

/** A request as listed: its view, and whether its next step is late by the reminder settings. */
export type ListedRequest = RequestView & { overdue: boolean };

function encodeCursor(key: RequestListKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

function decodeCursor(cursor: string): RequestListKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && !Number.isNaN(Date.parse(parsed[0]))) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the same answer as any other cursor this server did not give.
  }
  throw new AppError('validation', 'Some answers need attention.', { cursor: 'Use the nextCursor of the previous page.' });
}

/** What the list asks of the database besides the page: its filters, parsed. */
export type ListFilters = Omit<z.output<typeof listRequestsQuerySchema>, 'cursor' | 'limit'>;

/**
 * The requests `person` may see that meet the filters, as one condition: the list's whole query
 * (exported so the list's benchmark runs the same SQL bare), and "waiting for me" for its count.
 */
export function listConditions(person: Person, now: Date, filters: ListFilters): { where: Condition; waitingForMe: Condition } {
  const { state, mine, waiting, shared, q, raisedFrom, raisedTo } = filters;
  const waitingForMe = whereWaiting(person, now);
  const search: Condition[] = q
    ? [{ any: [{ matches: q, in: ['reference', 'caseReference'] }, { all: [whereCan(person, 'see-personal-details', now), { matches: q, in: ['childNames', 'subjectNames'] }] }] }]
    : [];
  const raised: Condition[] =
    raisedFrom || raisedTo
      ? [
          {
            created: {
              ...(raisedFrom ? { from: londonDayStart(raisedFrom).toISOString() } : {}),
              ...(raisedTo ? { before: londonDayStart(londonDate(addDays(new Date(`${raisedTo}T12:00:00Z`), 1))).toISOString() } : {}),
            },
          },
        ]
      : [];
  const where: Condition = {
    all: [
      whereCan(person, 'view', now),
      ...(state ? [{ state }] : []),
      ...(mine ? [whereParticipant(person)] : []),
      ...(waiting ? [waitingForMe] : []),
      ...(shared ? [{ sharedWith: person.id }] : []),
      ...search,
      ...raised,
    ],
  };
  return { where, waitingForMe };
}

/**
 * Conditions built lately, by what they depend on: building one and simplifying it for the database
 * costs more Node time than reading the page. Emptied when full, so it stays small.
 */
const BUILT = new Map<string, { where: Condition; waitingForMe: Condition }>();
const KEEP_BUILT = 1000;

function conditionsFor(person: Person, now: Date, filters: ListFilters): { where: Condition; waitingForMe: Condition } {
  const key = `${conditionKey(person, now)}${JSON.stringify(filters)}`;
  let built = BUILT.get(key);
  if (!built) {
    if (BUILT.size >= KEEP_BUILT) BUILT.clear();
    built = listConditions(person, now, filters);
    BUILT.set(key, built);
  }
  return built;
}

/** A page of what the caller may see, newest first, with how many requests wait for them. */
export async function listRequests(deps: AppDeps, caller: Caller, query: unknown): Promise<RequestPage> {
  const { cursor, limit, ...filters } = parseForm(listRequestsQuerySchema, query ?? {});
  const after = cursor ? decodeCursor(cursor) : undefined;
  const now = deps.clock.now();
  const { person } = caller;
  const { where, waitingForMe } = conditionsFor(person, now, filters);
  const read = deps.store.read.requests;
  const { requests: found, counted: waitingCount } = await read.pageAndCount(where, waitingForMe, { ...(after ? { after } : {}), limit: limit + 1 });
  const items = found.slice(0, limit);
  const last = items.at(-1);
  const names = await displayNames(deps.directory, items.flatMap(namedPeople));
  return {
    // Built with its overdue flag, which buildView types as optional because single views have none.
    items: items.map((r) => buildView(r, person, now, names, deps.settings.protocol, deps.settings.retention, { overdue: isOverdue(r, now, deps.settings.reminders) }) as ListedRequest),
    nextCursor: found.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    counts: { waitingForMe: waitingCount },
  };
}
