/**
 * Property-based fuzzing of every route the server registers and of every card action the bot
 * answers (issue 13, item 7). Generated bodies, query strings, headers and multipart bodies go to
 * each route; card actions go as `adaptiveCard/action` invokes to /api/messages. Two properties:
 * no answer is a 500 (or any 5xx), and a refusal (4xx) changes nothing in the database, checked by
 * a digest of every table taken before and after the call.
 *
 * Routes come from the server itself, so a new route fails the suite until it is given a generator
 * below. The run is reproducible: a fixed seed (FUZZ_SEED overrides it) and a fixed number of runs;
 * fast-check prints the seed and the path of any counterexample it finds.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { RouteSummary } from '../../../src/main/server';
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import { projectPendingEvaluation, type SqlStore } from '../../../src/store';
import { startApi, type ApiHarness } from '../../support/api-server';
import { BACKENDS } from '../../support/databases';
import { EVIDENCE_METADATA, PNG_BYTES, multipartBody, requestBody, searchingRequest, uploadEvidence } from './helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 1_302_013);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 8);
const RUNS_OF_INVOKES = RUNS_PER_ROUTE * 8;

/** Text meant to break a parser, a database or a renderer. */
const HOSTILE_TEXT = [
  '',
  ' ',
  'abc\u0000',
  '\u0000',
  'x\ud800y',
  '\udfff',
  'a\u0007b',
  '\u001b[31mred',
  'rtl\u202egnp.exe',
  '\u2066isolate\u2069',
  '\r\n\r\n',
  "'; DROP TABLE people; --",
  '<script>alert(1)</script>',
  '**[click](https://evil.example)**',
  '${{7*7}}',
  '../../../etc/passwd',
  '%00%ff',
  'null',
  '1e400',
  '-0',
  '2026-02-30',
  '9999-12-31T23:59:59Z',
  'https://www.facebook.com/x',
  'javascript:alert(1)',
  'x'.repeat(4100),
];

const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    fc.integer(),
    fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 31), Number.MAX_SAFE_INTEGER),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'version')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

type Json = unknown;

/** Every path into a value: where a mutation may land. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function replaceAt(value: Json, at: (string | number)[], replacement: { set: Json } | 'delete'): Json {
  if (at.length === 0) return replacement === 'delete' ? undefined : replacement.set;
  const [head, ...rest] = at as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === 'delete') copy.splice(Number(head), 1);
    else copy[Number(head)] = replaceAt(copy[Number(head)], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  if (rest.length === 0 && replacement === 'delete') delete copy[head];
  else copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

/** A valid body, the same with one to three parts replaced, removed or repeated, or anything at all. */
function mutated(template: Json): fc.Arbitrary<Json> {
  const where = paths(template);
  const change = fc.tuple(fc.constantFrom(...where), fc.oneof(anyValue.map((set) => ({ set })), fc.constant<'delete'>('delete')));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(template) },
    { weight: 5, arbitrary: fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) => changes.reduce((v, [at, r]) => replaceAt(v, at, r), template)) },
    { weight: 1, arbitrary: fc.array(fc.constant(template), { maxLength: 3 }).map((list) => (Array.isArray(template) ? [...template, ...list.flat()] : list)) },
    { weight: 2, arbitrary: anyValue },
  );
}

interface Fixture {
  tokens: Record<string, string>;
  requestId: string;
  draftId: string;
  subjectId: string;
  sessionId: string;
  evidenceId: string;
  notificationId: string;
  version: number;
}

/** How to fuzz one route: its path parameters, body and query. */
interface RouteFuzz {
  params?: Record<string, fc.Arbitrary<string>>;
  body?: (f: Fixture) => Json;
  query?: Record<string, fc.Arbitrary<string>>;
}

const uuid = fc.uuid();
const someId = (real: (f: Fixture) => string) => (f: Fixture) => fc.oneof({ weight: 3, arbitrary: fc.constant(real(f)) }, uuid, hostileText, fc.constantFrom('0', 'pending:00000000-0000-0000-0000-000000000000', '%2e%2e'));

const ACTIONS = ['submit', 'agree', 'decline', 'return', 'authorise', 'refuse', 'claim', 'assign', 'confirm-legitimacy', 'raise-doubt', 'record-doubt-view', 'resolve-doubt', 'complete-log', 'finalise', 'share', 'record-placement', 'withdraw', 'cancel', 'review'];

type FixtureArbs = (f: Fixture) => RouteFuzz;
const dateText = fc.oneof(fc.constantFrom('2026-06-01', '2026-11-30', '2026-13-01', '20260601', ''), hostileText);

/** The generator for each route, by "METHOD url" as the server registered it. */
const ROUTES: Record<string, FixtureArbs> = {
  'GET /api/host': () => ({}),
  'GET /api/openapi.json': () => ({}),
  'GET /api/me': () => ({}),
  'GET /api/people': () => ({ query: { role: fc.oneof(fc.constantFrom('social_worker', 'team_manager', 'access_worker', 'administrator'), hostileText) } }),
  'GET /api/dev/users': () => ({}),
  'POST /api/dev/token': () => ({ body: () => ({ userId: 'amelia.hart' }) }),
  'GET /api/health': () => ({}),
  'GET /api/health/ready': () => ({}),
  'GET /privacy': () => ({}),
  'GET /terms': () => ({}),
  'POST /api/messages': () => ({ body: () => ({ type: 'message', text: 'help', channelId: 'msteams' }) }),
  'GET /preview': () => ({}),
  'GET /preview/*': () => ({ params: { '*': fc.oneof(fc.constantFrom('', 'people', 'conversation', 'send', 'index.html', 'preview.js'), hostileText) }, query: { person: fc.oneof(fc.constant('amelia.hart'), hostileText) } }),
  // The preview answers every method on its paths (app.all).
  '* /preview/*': () => ({ params: { '*': fc.oneof(fc.constantFrom('send', 'invoke', 'message', 'install', 'people'), hostileText) }, body: () => ({ personId: 'amelia.hart', text: 'help' }) }),
  'GET /api/admin/directory': () => ({}),
  'POST /api/admin/directory/sync': () => ({}),
  'GET /api/admin/register': () => ({}),
  'PUT /api/admin/register/limit': () => ({ body: () => ({ limit: 6 }) }),
  'PUT /api/admin/register/people/:personId': () => ({
    params: { personId: fc.oneof(fc.constantFrom('imran.malik', 'amelia.hart', 'nobody'), hostileText) },
    body: () => ({ trainedOn: '2026-01-10', authorisedUntil: '2027-01-10' }),
  }),
  'GET /api/admin/operations': () => ({}),
  'POST /api/admin/notifications/:id/retry': (f) => ({ params: { id: someId((x) => x.notificationId)(f) } }),
  'POST /api/admin/uploads/:key/retry': () => ({ params: { key: fc.oneof(uuid.map((u) => `pending:${u}`), hostileText) } }),
  'GET /api/evaluation': () => ({ query: { from: dateText, to: dateText, team: hostileText } }),
  'GET /api/evaluation/export': () => ({ query: { from: dateText, to: dateText, format: fc.oneof(fc.constantFrom('csv', 'xlsx', 'docx'), hostileText) } }),
  'GET /api/evaluation/summary.docx': () => ({ query: { from: dateText, to: dateText } }),
  'POST /api/disclosures': () => ({ body: () => ({ name: 'Jane Doe', dateOfBirth: '1991-02-03', profileLink: 'https://www.facebook.com/jane.doe' }) }),
  'GET /api/disclosures/:id/content': () => ({ params: { id: fc.oneof(uuid, hostileText) } }),
  'GET /api/pilot/settings': () => ({}),
  'PUT /api/pilot/settings': () => ({ body: () => ({ startDate: '2026-06-01', lengthMonths: 6, platforms: ['facebook'], registerSize: 6 }) }),
  'POST /api/surveys': () => ({ body: () => ({ easeOfAuthorisation: 4, effectiveness: 5, comments: 'Quicker than email' }) }),
  'POST /api/surveys/ask': () => ({ body: () => ({ personIds: ['amelia.hart'] }) }),
  'GET /api/requests': () => ({
    query: {
      state: fc.oneof(fc.constantFrom('draft', 'searching', 'draft,searching'), hostileText),
      mine: fc.constantFrom('true', '0', 'yes'),
      waiting: fc.constantFrom('1', 'false', ''),
      shared: fc.constantFrom('true', '0', 'yes'),
      q: fc.oneof(fc.constantFrom('Smith', 'SMC-2026', '%_'), hostileText),
      raisedFrom: fc.oneof(fc.constantFrom('01/06/2026', '31/02/2026'), dateText),
      raisedTo: dateText,
      cursor: fc.oneof(fc.constantFrom('', 'bm90LWEtY3Vyc29y'), hostileText),
      limit: fc.constantFrom('1', '50', '200', '201', '0', '-1', 'x'),
    },
  }),
  'DELETE /api/requests/:id': (f) => ({ params: { id: someId((x) => x.draftId)(f) }, query: { version: fc.constantFrom('1', '2', '0', 'x', '') } }),
  'GET /api/me/team-manager': () => ({}),
  'GET /api/me/deputies': () => ({}),
  'POST /api/me/deputies': () => ({ body: () => ({ deputyId: 'tom.reid', from: '2026-12-01', to: '2026-12-14' }) }),
  'POST /api/me/deputies/:id/end': () => ({ params: { id: fc.oneof(uuid, hostileText) } }),
  'POST /api/requests/:id/evidence/:eid/links': (f) => ({ params: { id: someId((x) => x.requestId)(f), eid: someId((x) => x.evidenceId)(f) }, body: () => ({ download: true }) }),
  'POST /api/requests/:id/documents/:did/links': (f) => ({ params: { id: someId((x) => x.requestId)(f), did: fc.oneof(uuid, hostileText) }, body: () => ({ download: false }) }),
  'GET /api/retention/review': () => ({}),
  'GET /api/retention/requests/:id': (f) => ({ params: { id: someId((x) => x.requestId)(f) } }),
  'PUT /api/retention/requests/:id/hold': (f) => ({ params: { id: someId((x) => x.requestId)(f) }, body: () => ({ hold: true, reason: 'Litigation hold from legal services' }) }),
  'POST /api/retention/requests/:id/proposal': (f) => ({ params: { id: someId((x) => x.requestId)(f) }, body: () => ({ note: 'Past its retention date' }) }),
  'POST /api/retention/requests/:id/disposal': (f) => ({ params: { id: someId((x) => x.requestId)(f) } }),
  'POST /api/requests': () => ({ body: () => requestBody() }),
  'GET /api/requests/:id': (f) => ({ params: { id: someId((x) => x.requestId)(f) } }),
  'PUT /api/requests/:id': (f) => ({ params: { id: someId((x) => x.draftId)(f) }, body: () => ({ ...requestBody(), version: 1 }) }),
  'POST /api/requests/:id/actions/:action': (f) => ({
    params: { id: someId((x) => x.requestId)(f), action: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ACTIONS) }, hostileText) },
    body: (x) => ({ version: x.version, reason: 'Not proportionate', note: 'Agreed in supervision', outcome: 'resume', subjectIds: [x.subjectId], accessWorkerId: 'imran.malik', reviewDates: ['2026-12-01'] }),
  }),
  'GET /api/requests/:id/search-sessions': (f) => ({ params: { id: someId((x) => x.requestId)(f) } }),
  'POST /api/requests/:id/search-sessions': (f) => ({ params: { id: someId((x) => x.requestId)(f) }, body: () => ({ corporateAccount: true }) }),
  'POST /api/requests/:id/search-sessions/:sid/end': (f) => ({ params: { id: someId((x) => x.requestId)(f), sid: someId((x) => x.sessionId)(f) } }),
  'PUT /api/requests/:id/log': (f) => ({
    params: { id: someId((x) => x.requestId)(f) },
    body: (x) => ({
      findings: [{ subjectId: x.subjectId, visibility: 'public', profileUrl: 'https://www.facebook.com/jane.doe', summary: 'Profile shows the partner' }],
      furtherPersons: [{ description: 'A man in the photographs' }],
      accessWorkerComments: 'Nothing else found',
    }),
  }),
  'PUT /api/requests/:id/feedback': (f) => ({
    params: { id: someId((x) => x.requestId)(f) },
    body: () => ({ usefulPieces: 2, uniquePieces: 1, contribution: 'some', comments: 'Helpful', followUp: { longerTermUsefulness: 'little' } }),
  }),
  'GET /api/requests/:id/audit': (f) => ({ params: { id: someId((x) => x.requestId)(f) } }),
  'GET /api/requests/:id/notifications': (f) => ({ params: { id: someId((x) => x.requestId)(f) } }),
  'POST /api/requests/:id/notifications/:nid/retry': (f) => ({ params: { id: someId((x) => x.requestId)(f), nid: someId((x) => x.notificationId)(f) } }),
  'GET /api/requests/:id/documents': (f) => ({ params: { id: someId((x) => x.requestId)(f) } }),
  'GET /api/requests/:id/documents/:did/content': (f) => ({ params: { id: someId((x) => x.requestId)(f), did: fc.oneof(uuid, hostileText) } }),
  'DELETE /api/requests/:id/evidence/:eid': (f) => ({ params: { id: someId((x) => x.requestId)(f), eid: someId((x) => x.evidenceId)(f) } }),
  'GET /api/requests/:id/evidence': (f) => ({ params: { id: someId((x) => x.requestId)(f) } }),
  'GET /api/requests/:id/evidence/:eid/content': (f) => ({ params: { id: someId((x) => x.requestId)(f), eid: someId((x) => x.evidenceId)(f) }, query: { download: fc.constantFrom('1', '0', '', 'yes') } }),
  'POST /api/requests/:id/evidence': (f) => ({ params: { id: someId((x) => x.requestId)(f) }, body: (x) => ({ ...EVIDENCE_METADATA, subjectId: x.subjectId }) }),
};

/** The tab's built files (served by @fastify/static, one route each) take only a query and headers. */
const isTabFile = (route: RouteSummary) => route.method === 'GET' && (route.url === '/' || (!route.url.startsWith('/api/') && !route.url.startsWith('/preview') && /\.[a-z0-9]+$/i.test(route.url)));

function fuzzFor(route: RouteSummary): FixtureArbs | undefined {
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  return ROUTES[`${method} ${route.url}`] ?? ROUTES[`* ${route.url}`] ?? (isTabFile({ ...route, method }) ? () => ({}) : undefined);
}

/** A path segment as a client might send it, including bytes that are not UTF-8. */
function segment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^A-Za-z0-9%._~-]/g, (c) => encodeURIComponent(c));
  }
}

const RAW_QUERY = fc.array(fc.constantFrom('%00', '%ff', '%', 'a=', '&', '=', '%E2%80%AE', 'state[]=x', 'state[0]=1', 'mine=1&mine=0', '%ED%A0%80', '+'), { maxLength: 5 }).map((parts) => parts.join(''));

function queryArb(known: Record<string, fc.Arbitrary<string>> = {}): fc.Arbitrary<string> {
  const keys = Object.keys(known);
  const structured = fc
    .tuple(
      keys.length > 0 ? fc.subarray(keys).chain((chosen) => fc.tuple(...chosen.map((k) => (known[k] ?? hostileText).map((v) => [k, v] as const)))) : fc.constant([] as (readonly [string, string])[]),
      fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor')), hostileText), { maxLength: 2 }),
    )
    .map(([a, b]) => new URLSearchParams([...a, ...b].map(([k, v]) => [k, v.slice(0, 2000)])).toString());
  return fc.oneof({ weight: 2, arbitrary: fc.constant('') }, { weight: 4, arbitrary: structured }, { weight: 1, arbitrary: RAW_QUERY });
}

type Encoding = 'json' | 'none' | 'text' | 'form' | 'multipart' | 'multipart-no-boundary' | 'bad-json';

/** Header values a client can send (fetch refuses others before they leave). */
const headerText = fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,40}$/), fc.constantFrom('*/*', 'gzip, br', 'bytes=0-1', 'W/"1"', '1.2.3.4, 5.6.7.8', 'application/json; charset=latin1', 'multipart/form-data; boundary='));

interface Attempt {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

const PEOPLE = DEMO_PEOPLE.map((p) => p.id);

function attemptArb(route: RouteSummary, fuzz: RouteFuzz, fixture: Fixture): fc.Arbitrary<Attempt> {
  const paramNames = [...route.url.matchAll(/:(\w+)|\*/g)].map((m) => m[1] ?? '*');
  const params = fc.tuple(...paramNames.map((name) => (fuzz.params?.[name] ?? hostileText).map((v) => [name, v] as const)));
  const body = fuzz.body ? mutated(fuzz.body(fixture)) : anyValue;
  const encoding = fc.constantFrom<Encoding>('json', 'json', 'json', 'none', 'text', 'form', 'multipart', 'multipart', 'multipart-no-boundary', 'bad-json');
  const who = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PEOPLE).map((id) => `Bearer ${fixture.tokens[id] ?? ''}`) }, fc.constantFrom('', 'Bearer ', 'Bearer x.y.z', 'Basic YTpi', 'bearer  ' + 'a'.repeat(300)));
  const extra = fc.dictionary(fc.constantFrom('accept', 'accept-encoding', 'range', 'if-none-match', 'x-forwarded-for', 'x-ms-tenant-id', 'origin', 'content-language'), headerText, { maxKeys: 3 });
  const parts = fc.array(
    fc.record({
      name: fc.oneof(fc.constantFrom('metadata', 'file', 'metadata', 'file', 'other'), fc.stringMatching(/^[a-z"]{0,6}$/)),
      value: fc.oneof(fc.constant(PNG_BYTES), fc.constant(Buffer.from('%PDF-1.4\n')), fc.constant(Buffer.from('<html><meta http-equiv="refresh"></html>')), hostileText.map((s) => Buffer.from(s))),
      fileName: fc.option(fc.constantFrom('photo.png', 'page.html', '../../x.png', 'a"b.png', ''), { nil: undefined }),
    }),
    { maxLength: 4 },
  );
  return fc.record({ method: fc.constant(route.method), params, query: queryArb(fuzz.query), body, encoding, who, extra, parts, close: fc.boolean() }).map((a) => {
    let path = route.url;
    for (const [name, value] of a.params) path = path.replace(name === '*' ? '*' : `:${name}`, name === '*' ? value.split('/').map(segment).join('/') : segment(value));
    if (a.query) path += `?${a.query}`;
    const headers: Record<string, string> = { ...a.extra };
    if (a.who) headers.authorization = a.who;
    let sent: string | Buffer | undefined;
    const json = JSON.stringify(a.body) ?? 'null';
    if (route.method !== 'GET' && route.method !== 'HEAD') {
      switch (a.encoding) {
        case 'json':
          headers['content-type'] = 'application/json';
          sent = json;
          break;
        case 'bad-json':
          headers['content-type'] = 'application/json';
          sent = json.slice(0, Math.max(1, json.length - 1));
          break;
        case 'text':
          headers['content-type'] = 'text/plain';
          sent = json;
          break;
        case 'form':
          headers['content-type'] = 'application/x-www-form-urlencoded';
          sent = 'metadata=' + encodeURIComponent(json.slice(0, 5000).replace(/[\ud800-\udfff]/g, ''));
          break;
        case 'multipart':
        case 'multipart-no-boundary': {
          const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
          headers['content-type'] = a.encoding === 'multipart' ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data';
          // The metadata part, when there is one, carries the generated body.
          sent = multipartBody(boundary, a.parts.map((p) => (p.name === 'metadata' && p.fileName === undefined ? { ...p, value: json } : p)), { close: a.close });
          break;
        }
        case 'none':
          break;
      }
    }
    return { method: a.method, path, headers, body: sent };
  });
}

/** Over node:http rather than fetch, which refuses some methods (TRACE) and rewrites some bodies. */
function send(api: ApiHarness, attempt: Attempt): Promise<{ status: number; text: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${api.url}${attempt.path}`, { method: attempt.method, headers: attempt.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), contentType: String(response.headers['content-type'] ?? '') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(attempt.body);
  });
}

/**
 * A digest of every table's rows. A refusal may leave exactly one trace, its own audit entry
 * (actor role "refused"); the chain columns the sequencer fills in later are left out. The
 * evaluation's rows are digested as projected (migration 085): the server's projector, or a read of
 * the figures, brings them up to date from the tables above at any moment, so what is compared is
 * what every write so far projects to.
 */
async function snapshot(store: SqlStore): Promise<Record<string, string>> {
  await projectPendingEvaluation(store.db);
  const { rows: tables } = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(store.db);
  const digests = tables.map(({ name }) => {
    const source =
      name === 'audit_entries'
        ? sql`(SELECT id, at, actor_id, actor_role, action, request_id, from_state, to_state, reason, detail FROM audit_entries WHERE actor_role <> 'refused' AND action NOT LIKE 'refused%')`
        : sql`(SELECT * FROM ${sql.table(name)})`;
    return sql`SELECT ${name}::text AS name, count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${source} t`;
  });
  const { rows } = await sql<{ name: string; digest: string }>`${sql.join(digests, sql` UNION ALL `)}`.execute(store.db);
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** What a failing property reports: the call, shortened, and what came back. */
function describeAttempt(attempt: Attempt, status: number, text: string): string {
  const body = attempt.body === undefined ? '' : typeof attempt.body === 'string' ? attempt.body : attempt.body.toString('latin1');
  return `${attempt.method} ${attempt.path.slice(0, 300)} ${JSON.stringify(attempt.headers).slice(0, 300)} body=${JSON.stringify(body.slice(0, 400))} → ${status} ${text.slice(0, 400)}`;
}

async function prepare(api: ApiHarness): Promise<Fixture> {
  const tokens = await api.tokens(...PEOPLE);
  const ready = await searchingRequest(api);
  const upload = await uploadEvidence(api, ready.tokens.aaw, ready.id, { subjectId: ready.subjectId }, PNG_BYTES, 'photo.png');
  if (upload.status !== 201) throw new Error(`evidence upload: ${upload.status}`);
  const draft = await api.call('POST', '/api/requests', { token: ready.tokens.osw, body: requestBody() });
  const sessions = await api.call('GET', `/api/requests/${ready.id}/search-sessions`, { token: ready.tokens.aaw });
  const list = (sessions.body as unknown as { id: string }[] | { sessions: { id: string }[] }) ?? [];
  const sessionId = (Array.isArray(list) ? list : list.sessions)[0]?.id ?? '';
  const outbox = await api.server.store.read.outbox.listForRequest(ready.id);
  return {
    tokens,
    requestId: ready.id,
    draftId: draft.body.id as string,
    subjectId: ready.subjectId,
    sessionId,
    evidenceId: upload.body.id as string,
    notificationId: outbox[0]?.id ?? '',
    version: ready.version,
  };
}

const VERBS = ['agree', 'return', 'decline', 'refuse', 'authorise', 'claim', 'resolve-doubt', 'refreshCard', 'myRequests', 'waitingForMe'];

describe.each(BACKENDS)('fuzzing every route and card action (%s)', (backend) => {
  let api: ApiHarness;
  let fixture: Fixture;
  const params = { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true };

  beforeAll(async () => {
    api = await startApi(backend, {
      sequence: false,
      env: { RATE_LIMIT_PERSON_PER_MINUTE: '1000000', RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000', MAX_UPLOADS_PER_PERSON: '100', MAX_UPLOADS_TOTAL: '1000' },
    });
    fixture = await prepare(api);
  }, 300_000);
  afterAll(async () => {
    await api?.close();
  });

  it('has a generator for every route the server answers', () => {
    expect(api.server.routes.length).toBeGreaterThan(30);
    const missing = api.server.routes.filter((r) => !fuzzFor(r)).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('answers every generated request to every route without a 5xx, and a refusal changes nothing', async () => {
    const routes = api.server.routes.filter((r) => r.method !== 'HEAD' && !isTabFile(r));
    let known: Record<string, string> | null = null;
    for (const route of routes) {
      const started = Date.now();
      const fuzz = fuzzFor(route);
      if (!fuzz) throw new Error(`no generator for ${route.method} ${route.url}`);
      await fc.assert(
        fc.asyncProperty(attemptArb(route, fuzz(fixture), fixture), async (attempt) => {
          const before = known ?? (await snapshot(api.server.store));
          known = null;
          const { status, text, contentType } = await send(api, attempt);
          const what = describeAttempt(attempt, status, text);
          if (status >= 500) throw new Error(`${status} for ${what}`);
          // Nothing else writes (no dispatcher, no sequencer; the evaluation's projector writes only
          // what the snapshot projects anyway), so the state after a refusal or a read is the state
          // before the next call.
          if (status >= 400 || ((attempt.method === 'GET' || attempt.method === 'HEAD') && status < 300)) known = before;
          if (status >= 400) {
            const after = await snapshot(api.server.store);
            expect({ what, tables: after }).toEqual({ what, tables: before });
            if (attempt.path.startsWith('/api/')) {
              expect({ what, json: contentType.startsWith('application/json') }).toEqual({ what, json: true });
              const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
              expect({ what, code: typeof parsed.error?.code, message: typeof parsed.error?.message }).toEqual({ what, code: 'string', message: 'string' });
            }
          }
        }),
        params,
      );
      if (process.env.FUZZ_TIMES) process.stdout.write(`${route.method} ${route.url} ${Date.now() - started} ms\n`);
    }
  }, 600_000);

  it('answers every generated card action without a 5xx, and one not taken changes nothing', async () => {
    const person = fc.constantFrom(...DEMO_PEOPLE);
    const data = fc.record(
      {
        requestId: fc.oneof({ weight: 4, arbitrary: fc.constant(fixture.requestId) }, uuid, hostileText, fc.integer().map(String)),
        version: fc.oneof(fc.constant(fixture.version), fc.integer({ min: -2, max: 40 }), hostileText),
        note: hostileText,
        reasonReturn: hostileText,
        reasonDecline: hostileText,
        reasonRefuse: hostileText,
        reasonResolve: hostileText,
        subjectIds: fc.oneof(fc.constant(fixture.subjectId), hostileText),
        accessWorkerId: fc.oneof(fc.constantFrom('register', 'imran.malik', 'amelia.hart'), hostileText),
        reviewDate1: dateText,
        reviewDate2: dateText,
        conditions: hostileText,
        outcome: fc.oneof(fc.constantFrom('resume', 'cancel'), anyValue),
      },
      { requiredKeys: ['requestId', 'version'] },
    );
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.record({ verb: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...VERBS) }, hostileText), data }).map(({ verb, data: d }) => ({ action: { type: 'Action.Execute', verb, data: d }, trigger: 'manual' })) },
      { weight: 1, arbitrary: anyValue },
    );
    const requests = async () => {
      const { rows } = await sql<{ v: string }>`SELECT string_agg(id || ':' || version, ',' ORDER BY id) AS v FROM investigation_requests`.execute(api.server.store.db);
      return rows[0]?.v ?? '';
    };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(person, value, async (who, invokeValue) => {
        const activity = {
          type: 'invoke',
          name: 'adaptiveCard/action',
          id: `fuzz-${(n += 1)}`,
          timestamp: new Date().toISOString(),
          channelId: 'msteams',
          serviceUrl: 'http://127.0.0.1:9/',
          from: { id: `29:${who.aadObjectId}`, name: who.displayName, aadObjectId: who.aadObjectId },
          conversation: { conversationType: 'personal', tenantId: 'tenant-1', id: `a:personal-${who.aadObjectId}` },
          recipient: { id: '28:bot-app-id', name: 'Social Media Checks' },
          channelData: { tenant: { id: 'tenant-1' } },
          value: invokeValue,
        };
        const before = await snapshot(api.server.store);
        const versionsBefore = await requests();
        const attempt: Attempt = { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) };
        const { status, text } = await send(api, attempt);
        const what = describeAttempt(attempt, status, text);
        if (status >= 500) throw new Error(`${status} for ${what}`);
        // An action taken moves the request to a new version; anything else must leave no trace.
        if ((await requests()) === versionsBefore) expect({ what, tables: await snapshot(api.server.store) }).toEqual({ what, tables: before });
      }),
      { ...params, numRuns: RUNS_OF_INVOKES },
    );
  }, 600_000);
});
