import { randomUUID } from 'node:crypto';
import { sql, type CompiledQuery, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { RequestListKey, RequestRepository } from '../../app/ports';
import { forQuery, type Condition } from '../../domain/conditions';
import { disclosureKeys } from '../../domain/disclosure';
import { checkedSubjectKeys } from '../../domain/repeat-checks';
import type { InvestigationRequest } from '../../domain/request';
import type { RequestState } from '../../domain/states';
import type { Database, InvestigationRequestsTable, PeopleTable, TeamManagerDeputiesTable } from '../schema';
import { toDeputyship } from './deputies';
import { toPerson } from './people';
import { toSql } from './request-conditions';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** States in which an authorisation is live and may expire or lapse with time. */
const LIVE_AUTHORISATION_STATES: RequestState[] = ['authorised', 'assigned', 'searching', 'on_hold'];

/**
 * The columns a request is read from: not the copies PostgreSQL keeps for filtering (`case_reference`,
 * `agreement_by`, `authorisation_by`) nor `disposed_at`, which every read requires to be empty. A list
 * page parses every column of fifty rows in Node.
 */
const REQUEST_COLUMNS = [
  'id',
  'reference',
  'state',
  'version',
  'form',
  'originating_worker_id',
  'team_manager_id',
  'agreement',
  'authorisation',
  'designated_access_worker_id',
  'access_worker_id',
  'doubt_resolvers',
  'returned_by',
  'state_before_hold',
  'doubts',
  'case_record_placement',
  'last_reason',
  'first_search_started_at',
  'log',
  'feedback',
  'linked_from_request_id',
  'shared_with',
  'created_at',
  'updated_at',
  'submitted_at',
  'closed_at',
] as const satisfies readonly (keyof InvestigationRequestsTable)[];

type RequestRecord = Pick<Selectable<InvestigationRequestsTable>, (typeof REQUEST_COLUMNS)[number]>;

function toRequest(row: RequestRecord): InvestigationRequest {
  return {
    id: row.id,
    reference: row.reference,
    state: row.state as RequestState,
    version: row.version,
    form: row.form,
    originatingWorkerId: row.originating_worker_id,
    teamManagerId: row.team_manager_id,
    agreement: row.agreement,
    authorisation: row.authorisation,
    designatedAccessWorkerId: row.designated_access_worker_id,
    accessWorkerId: row.access_worker_id,
    doubtResolvers: row.doubt_resolvers,
    returnedBy: row.returned_by,
    stateBeforeHold: row.state_before_hold as RequestState | null,
    doubts: row.doubts,
    caseRecordPlacement: row.case_record_placement,
    lastReason: row.last_reason,
    firstSearchStartedAt: row.first_search_started_at,
    log: row.log,
    feedback: row.feedback,
    linkedFromRequestId: row.linked_from_request_id,
    sharedWith: row.shared_with,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    closedAt: row.closed_at,
  };
}

const json = (value: unknown): string => JSON.stringify(value);
const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** Every column a request's write sets, except the id and the version check. */
function toRow(request: InvestigationRequest) {
  return {
    reference: request.reference,
    state: request.state,
    version: request.version,
    case_reference: request.form.caseReference,
    originating_worker_id: request.originatingWorkerId,
    team_manager_id: request.teamManagerId,
    designated_access_worker_id: request.designatedAccessWorkerId,
    access_worker_id: request.accessWorkerId,
    linked_from_request_id: request.linkedFromRequestId,
    form: json(request.form),
    agreement: jsonOrNull(request.agreement),
    authorisation: jsonOrNull(request.authorisation),
    doubt_resolvers: json(request.doubtResolvers),
    returned_by: json(request.returnedBy),
    state_before_hold: request.stateBeforeHold,
    doubts: json(request.doubts),
    case_record_placement: jsonOrNull(request.caseRecordPlacement),
    last_reason: jsonOrNull(request.lastReason),
    first_search_started_at: request.firstSearchStartedAt,
    log: jsonOrNull(request.log),
    feedback: jsonOrNull(request.feedback),
    shared_with: json(request.sharedWith),
    created_at: request.createdAt,
    updated_at: request.updatedAt,
    submitted_at: request.submittedAt,
    closed_at: request.closedAt,
  };
}

type RequestRow = ReturnType<typeof toRow>;

/** The columns `next` changes, and always the version, which the write is checked against. */
function changedColumns(next: RequestRow, previous: RequestRow): Partial<RequestRow> {
  const changed = Object.entries(next).filter(([column, value]) => value !== previous[column as keyof RequestRow]);
  return { ...(Object.fromEntries(changed) as Partial<RequestRow>), version: next.version };
}

/**
 * Where a page after a cursor takes the cursor's values: compiled once with these in their place,
 * then swapped for each page's own. Random, so no value a condition compares with can be one.
 */
const CURSOR_SLOT: RequestListKey = { createdAt: `cursor-created-at-${randomUUID()}`, id: `cursor-id-${randomUUID()}` };

/**
 * The statement for a condition, compiled on first use: the lists keep their conditions (see
 * `listRequests`), and building a statement from one costs more Node time than reading its rows.
 * Held as long as the condition is.
 */
function compiledOnce<R>(statements: WeakMap<Condition, Map<string, CompiledQuery<R>>>, where: Condition, key: string, compile: () => CompiledQuery<R>): CompiledQuery<R> {
  let byKey = statements.get(where);
  if (!byKey) {
    byKey = new Map();
    statements.set(where, byKey);
  }
  let statement = byKey.get(key);
  if (!statement) {
    statement = compile();
    byKey.set(key, statement);
  }
  return statement;
}

export function createRequestRepository(db: Kysely<Database>): RequestRepository {
  // Per repository: each database (PostgreSQL, PGlite) compiles in its own dialect.
  const pages = new WeakMap<Condition, WeakMap<Condition, Map<string, CompiledQuery<RequestRecord & { counted: string | number | null }>>>>();
  const counts = new WeakMap<Condition, Map<string, CompiledQuery<{ n: string | number }>>>();
  return {
    async get(id) {
      // Ids come from addresses and card data: one that cannot be a request id finds nothing,
      // rather than reaching the database as text it refuses (a NUL) or cannot cast.
      if (!REQUEST_ID.test(id)) return null;
      const row = await db.selectFrom('investigation_requests').selectAll().where('id', '=', id).where('disposed_at', 'is', null).executeTakeFirst();
      return row ? toRequest(row) : null;
    },

    async getMany(ids) {
      const valid = ids.filter((id) => REQUEST_ID.test(id));
      if (valid.length === 0) return [];
      const rows = await db.selectFrom('investigation_requests').selectAll().where('id', 'in', valid).where('disposed_at', 'is', null).execute();
      return rows.map(toRequest);
    },

    async getForUpdate(id) {
      if (!REQUEST_ID.test(id)) return null;
      const row = await db.selectFrom('investigation_requests').selectAll().where('id', '=', id).where('disposed_at', 'is', null).forUpdate().executeTakeFirst();
      return row ? toRequest(row) : null;
    },

    async getForDecision(id, reads) {
      if (!REQUEST_ID.test(id)) return null;
      // One statement instead of one per person and one for the deputies: each costs a round trip
      // while the row is locked. Only the request row is locked; the rest is read as at its start.
      const roles = reads.roles ?? [];
      const result = await sql<Selectable<InvestigationRequestsTable> & { decision_covered: string[]; decision_people: Selectable<PeopleTable>[]; decision_deputyships: Selectable<TeamManagerDeputiesTable>[]; decision_role_holders: Selectable<PeopleTable>[] }>`
        SELECT r.*, c.ids AS decision_covered,
          ${roles.length > 0 ? sql`(SELECT coalesce(json_agg(to_jsonb(h) ORDER BY h.display_name, h.id), '[]'::json) FROM people h WHERE h.active AND h.roles && ${roles}::text[])` : sql`'[]'::json`} AS decision_role_holders,
          (SELECT coalesce(json_agg(to_jsonb(p)), '[]'::json) FROM people p WHERE p.id = ANY(c.ids)) AS decision_people,
          (SELECT coalesce(json_agg(to_jsonb(d) ORDER BY d.from_date, d.id), '[]'::json) FROM team_manager_deputies d
            WHERE d.team_manager_id = ANY(c.ids) AND d.ended_at IS NULL AND d.from_date <= ${reads.today} AND d.to_date >= ${reads.today}) AS decision_deputyships
        FROM investigation_requests r
        CROSS JOIN LATERAL (
          SELECT ARRAY(SELECT DISTINCT u.id FROM unnest(${reads.people}::text[] || ARRAY[
            r.originating_worker_id,
            (SELECT o.manager_id FROM people o WHERE o.id = r.originating_worker_id),
            r.team_manager_id,
            (SELECT t.manager_id FROM people t WHERE t.id = r.team_manager_id)
          ]) AS u(id) WHERE u.id IS NOT NULL) AS ids
        ) c
        WHERE r.id = ${id} AND r.disposed_at IS NULL
        FOR UPDATE OF r`.execute(db);
      const row = result.rows[0];
      if (!row) return null;
      const { decision_covered: covered, decision_people: people, decision_deputyships: deputyships, decision_role_holders: holders, ...request } = row;
      const holding = holders.map(toPerson);
      return {
        roleHolders: Object.fromEntries(roles.map((role) => [role, holding.filter((p) => p.roles.includes(role))])),
        request: toRequest(request),
        people: people.map(toPerson),
        covered,
        // JSON writes instants with an offset; the driver reads them as ISO 8601 in UTC.
        deputyships: deputyships.map((d) => toDeputyship({ ...d, created_at: new Date(d.created_at).toISOString() })),
      };
    },

    async insert(request) {
      await db
        .insertInto('investigation_requests')
        .values({ id: request.id, ...toRow(request) })
        .execute();
      await keyCheckedSubjects(db, request);
      await keyForDisclosure(db, request, { fresh: true });
    },

    async deleteUnsubmittedDraft(id, expectedVersion) {
      const result = await db
        .deleteFrom('investigation_requests')
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .where('state', '=', 'draft')
        .where('submitted_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    async update(request, before) {
      const next = toRow(request);
      const previous = toRow(before);
      const result = await db
        .updateTable('investigation_requests')
        .set(changedColumns(next, previous))
        .where('id', '=', request.id)
        .where('version', '=', before.version)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) return false;
      // The keys follow from the authorisation, and from the form and the log: unchanged, they are already stored.
      if (request.authorisation?.at !== before.authorisation?.at) await keyCheckedSubjects(db, request);
      if (next.form !== previous.form || next.log !== previous.log) await keyForDisclosure(db, request);
      return true;
    },

    async list(filter) {
      if (filter.states && filter.states.length === 0) return [];
      // A disposed request is a tombstone for the figures only: no workflow reads it.
      let query = db.selectFrom('investigation_requests').selectAll().where('disposed_at', 'is', null);
      if (filter.states) query = query.where('state', 'in', filter.states);
      const person = filter.involving;
      if (person !== undefined) {
        const asMember = JSON.stringify([{ personId: person }]);
        query = query.where((eb) =>
          eb.or([
            eb('originating_worker_id', '=', person),
            eb('team_manager_id', '=', person),
            eb('designated_access_worker_id', '=', person),
            eb('access_worker_id', '=', person),
            eb('agreement_by', '=', person),
            eb('authorisation_by', '=', person),
            sql<boolean>`doubt_resolvers @> ${asMember}::jsonb`,
            sql<boolean>`shared_with @> ${asMember}::jsonb`,
          ]),
        );
      }
      query = query.orderBy('created_at', 'desc').orderBy('id', 'desc');
      if (filter.limit !== undefined) query = query.limit(filter.limit);
      return (await query.execute()).map(toRequest);
    },

    async pageAndCount(where, counted, options) {
      const { after, limit } = options;
      let byCounted = pages.get(where);
      if (!byCounted) {
        byCounted = new WeakMap();
        pages.set(where, byCounted);
      }
      const statement = compiledOnce(byCounted, counted, `${after ? 'after' : 'first'}:${limit}`, () => pageAndCountQuery(db, where, counted, { limit, ...(after ? { after: CURSOR_SLOT } : {}) }).compile());
      const parameters = after ? statement.parameters.map((p) => (p === CURSOR_SLOT.createdAt ? after.createdAt : p === CURSOR_SLOT.id ? after.id : p)) : statement.parameters;
      const run: typeof statement = { ...statement, parameters };
      const rows = (await db.executeQuery(run)).rows;
      const first = rows[0];
      if (first) return { requests: rows.map(toRequest), counted: Number(first.counted ?? 0) };
      // An empty page has no row to carry the count.
      const count = compiledOnce(counts, counted, 'count', () => countQuery(db, counted).compile());
      return { requests: [], counted: Number((await db.executeQuery(count)).rows[0]?.n ?? 0) };
    },

    async listWithLiveAuthorisation() {
      const rows = await db
        .selectFrom('investigation_requests')
        .selectAll()
        .where('state', 'in', LIVE_AUTHORISATION_STATES)
        .orderBy('created_at')
        .execute();
      return rows.map(toRequest);
    },

    async nextReference(year) {
      // One statement, so two requests raised at once cannot get the same number.
      const { last_number } = await db
        .insertInto('request_reference_counters')
        .values({ year, last_number: 1 })
        .onConflict((oc) => oc.column('year').doUpdateSet({ last_number: sql<number>`request_reference_counters.last_number + 1` }))
        .returning('last_number')
        .executeTakeFirstOrThrow();
      return `SMC-${year}-${String(last_number).padStart(6, '0')}`;
    },

    async checkedSince(keys, since) {
      if (keys.length === 0) return [];
      const rows = await db
        .selectFrom('checked_subjects as c')
        .innerJoin('investigation_requests as r', 'r.id', 'c.request_id')
        .select(['c.request_id', 'r.reference', 'c.match_key', 'c.authorised_at'])
        .where('c.match_key', 'in', keys)
        .where('c.authorised_at', '>=', since)
        .where('r.disposed_at', 'is', null)
        .orderBy('c.authorised_at', 'desc')
        .execute();
      return rows.map((r) => ({ requestId: r.request_id, reference: r.reference, key: r.match_key, authorisedAt: r.authorised_at }));
    },
  };
}

/** A page of the request list, newest first, after the keyset `after`. */
function pageQuery(db: Kysely<Database>, where: Condition, options: { after?: RequestListKey; limit: number }) {
  const condition = forQuery(where);
  let query = db.selectFrom('investigation_requests').select(REQUEST_COLUMNS).where('disposed_at', 'is', null).where((eb) => toSql(eb, condition));
  const after = options.after;
  if (after) query = query.where(sql<SqlBool>`(created_at, id) < (${after.createdAt}::timestamptz, ${after.id})`);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
}

/**
 * The page with, on each of its rows, how many requests meet `counted` (an uncorrelated subquery,
 * which PostgreSQL runs once). Exported so the list's benchmark runs exactly this SQL bare.
 */
export function pageAndCountQuery(db: Kysely<Database>, where: Condition, counted: Condition, options: { after?: RequestListKey; limit: number }) {
  return pageQuery(db, where, options).select(countQuery(db, counted).as('counted'));
}

/** How many requests meet the condition (the list's "waiting for me" count). */
function countQuery(db: Kysely<Database>, where: Condition) {
  const condition = forQuery(where);
  return db
    .selectFrom('investigation_requests')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('disposed_at', 'is', null)
    .where((eb) => toSql(eb, condition));
}

/**
 * Keeps the keys of the people an authorisation put in scope. The scope never changes once
 * authorised, so writing them again on a later update adds nothing.
 */
async function keyCheckedSubjects(db: Kysely<Database>, request: InvestigationRequest): Promise<void> {
  const at = request.authorisation?.at;
  if (!at) return;
  const keys = checkedSubjectKeys(request);
  if (keys.length === 0) return;
  await db
    .insertInto('checked_subjects')
    .values(keys.map((k) => ({ request_id: request.id, subject_id: k.subjectId, match_key: k.key, authorised_at: at })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Keeps the keys a disclosure search finds the request by, as its people and findings now stand.
 * A request just inserted (`fresh`) has no keys yet to remove.
 */
async function keyForDisclosure(db: Kysely<Database>, request: InvestigationRequest, options: { fresh?: boolean } = {}): Promise<void> {
  const keys = disclosureKeys(request);
  if (!options.fresh) {
    let stale = db.deleteFrom('disclosure_keys').where('request_id', '=', request.id);
    if (keys.length > 0) stale = stale.where('match_key', 'not in', keys);
    await stale.execute();
  }
  if (keys.length === 0) return;
  await db
    .insertInto('disclosure_keys')
    .values(keys.map((match_key) => ({ match_key, request_id: request.id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}
