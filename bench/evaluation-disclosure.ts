/**
 * The pilot's dashboard figures and a disclosure bundle over many requests on PostgreSQL (issue 10).
 *
 * Three requests are worked through the API (one shared with an assessment and its search sessions,
 * one withdrawn, one declined), then copied in SQL until there are BENCH_EVALUATION_REQUESTS of
 * them, with their audit entries and search sessions: the dashboard's query reads both. The copies'
 * audit entries are left unlinked and carry a placeholder body hash (the chain is not what is
 * measured; the server's sequencer is off). Three more requests name the person the disclosure is
 * about. Goals: `GET /api/evaluation` under 300 ms, and the bundle (search, then the ZIP) under a
 * minute, both at 100,000 requests.
 */
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { projectPendingEvaluation } from '../src/store';
import type { Database } from '../src/store/schema';
import { startApi, type ApiHarness } from '../tests/support/api-server';
import { SUPERVISION_NOTE } from './decisions';

export interface EvaluationDisclosureResults {
  requests: number;
  /** GET /api/evaluation over the whole period, then for one team: milliseconds of each run. */
  figures: { all: number[]; team: number[] };
  disclosure: { searchMs: number; bundleMs: number; totalMs: number; requestsFound: number; zipBytes: number };
}

const today = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function seedTemplates(api: ApiHarness): Promise<string[]> {
  const t = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'imran.malik');
  const call = async (method: string, path: string, who: string, body?: unknown) => {
    const response = await api.call(method, path, { token: who, ...(body === undefined ? {} : { body }) });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const create = async (name: string) =>
    (
      await call('POST', '/api/requests', t['amelia.hart'], {
        caseReference: 'CM-2001',
        team: 'Assessment Team North',
        children: [{ name: 'Child A' }],
        concernCategories: ['risky_behaviour'],
        concernDetails: 'Reports of drinking',
        justification: 'Home visits inconclusive',
        subjects: [{ kind: 'service_user', name, profileUrl: 'https://www.facebook.com/someone.example' }],
        period: { from: today(-60), to: today() },
        monitoring: null,
        neededBy: today(14),
      })
    ).id as string;
  const act = async (who: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const current = await call('GET', `/api/requests/${id}`, who);
    return call('POST', `/api/requests/${id}/actions/${action}`, who, { version: current.version, ...body });
  };
  const shareOne = async (name: string) => {
    const id = await create(name);
    await act(t['amelia.hart'], id, 'submit');
    await act(t['tom.reid'], id, 'agree', { note: SUPERVISION_NOTE });
    await act(t['sarah.mitchell'], id, 'authorise');
    await act(t['imran.malik'], id, 'claim');
    await act(t['imran.malik'], id, 'confirm-legitimacy');
    const session = await call('POST', `/api/requests/${id}/search-sessions`, t['imran.malik'], { corporateAccount: true });
    await call('POST', `/api/requests/${id}/search-sessions/${session.id as string}/end`, t['imran.malik'], {});
    const subjectId = ((await call('GET', `/api/requests/${id}`, t['imran.malik'])).subjects as { id: string }[])[0]?.id;
    await call('PUT', `/api/requests/${id}/log`, t['imran.malik'], { findings: [{ subjectId, visibility: 'public', profileUrl: 'https://www.facebook.com/someone.example', summary: `Public posts by ${name}` }] });
    await act(t['imran.malik'], id, 'complete-log');
    await call('PUT', `/api/requests/${id}/log`, t['amelia.hart'], { assessment: { summary: 'Adds to the picture', usefulPieces: 2, uniquePieces: 1, contribution: 'some', actionsTaken: 'None' } });
    await act(t['amelia.hart'], id, 'finalise');
    await act(t['amelia.hart'], id, 'share');
    return id;
  };
  const shared = await shareOne('Jane Doe');
  const withdrawn = await create('Jane Doe');
  await act(t['amelia.hart'], withdrawn, 'submit');
  await act(t['amelia.hart'], withdrawn, 'withdraw', { reason: 'Family moved away' });
  const declined = await create('Jane Doe');
  await act(t['amelia.hart'], declined, 'submit');
  await act(t['tom.reid'], declined, 'decline', { reason: 'Not discussed in supervision' });
  // The person the disclosure is about, in three requests among all the others.
  for (let i = 0; i < 3; i += 1) await shareOne('Alex Target');
  return [shared, withdrawn, declined];
}

async function columns(db: Kysely<Database>, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_name = ${table} and table_schema = current_schema() and is_generated = 'NEVER' and identity_generation is null
    order by ordinal_position`.execute(db);
  return rows.map((r) => r.column_name);
}

/** Copies the templates until there are `total` requests, with their audit entries, search sessions and disclosure keys. */
export async function copyTemplates(db: Kysely<Database>, templates: string[], total: number): Promise<void> {
  const copiesEach = Math.ceil((total - templates.length - 3) / templates.length);
  if (copiesEach < 1) return;
  const requestColumns = (await columns(db, 'investigation_requests')).filter((c) => c !== 'id' && c !== 'reference');
  const sessionColumns = (await columns(db, 'search_sessions')).filter((c) => c !== 'id' && c !== 'request_id');
  const auditColumns = (await columns(db, 'audit_entries')).filter((c) => !['id', 'request_id', 'seq', 'prev_hash', 'hash', 'body_hash'].includes(c));
  const list = (cs: string[], prefix: string) => sql.raw(cs.map((c) => `${prefix}.${c}`).join(', '));
  const names = (cs: string[]) => sql.raw(cs.join(', '));
  await db.transaction().execute(async (trx) => {
    await sql`create temporary table bench_copies on commit drop as
      select gen_random_uuid()::text as id, t.id as template_id, row_number() over () as n
      from unnest(${templates}::text[]) as t(id), generate_series(1, ${copiesEach}::int)`.execute(trx);
    await sql`insert into investigation_requests (id, reference, ${names(requestColumns)})
      select c.id, 'SMC-2000-' || lpad(c.n::text, 7, '0'), ${list(requestColumns, 'r')}
      from bench_copies c join investigation_requests r on r.id = c.template_id`.execute(trx);
    await sql`insert into search_sessions (id, request_id, ${names(sessionColumns)})
      select gen_random_uuid()::text, c.id, ${list(sessionColumns, 's')}
      from bench_copies c join search_sessions s on s.request_id = c.template_id`.execute(trx);
    await sql`insert into audit_entries (id, request_id, body_hash, ${names(auditColumns)})
      select gen_random_uuid()::text, c.id, 'bench-copy', ${list(auditColumns, 'e')}
      from bench_copies c join audit_entries e on e.request_id = c.template_id`.execute(trx);
    // The copies name the templates' people, so a disclosure search looks among all of them (the evaluation's rows are projected below).
    await sql`insert into disclosure_keys (match_key, request_id)
      select k.match_key, c.id from bench_copies c join disclosure_keys k on k.request_id = c.template_id`.execute(trx);
  });
  await sql`analyze`.execute(db);
}

export async function benchEvaluationDisclosure(serverUrl: string, total: number, log: (message: string) => void): Promise<EvaluationDisclosureResults> {
  process.env.TEST_DATABASE_URL = serverUrl;
  const api = await startApi('PostgreSQL', { sequence: false, env: { RATE_LIMIT_PERSON_PER_MINUTE: '1000000', RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000' } });
  try {
    const templates = await seedTemplates(api);
    log(`copying to ${total} requests`);
    await copyTemplates(api.server.store.db, templates, total);
    // The copies' evaluation rows, as the projector rebuilds them within seconds of the copy: the
    // figures are timed over a projection that is up to date, as a reader finds it after one.
    await projectPendingEvaluation(api.server.store.db);
    const { count } = await api.server.store.db.selectFrom('investigation_requests').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    const t = await api.tokens('grace.lee');
    const timed = async (path: string): Promise<number> => {
      const started = performance.now();
      const response = await api.call('GET', path, { token: t['grace.lee'] });
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return performance.now() - started;
    };
    const period = `from=${today(-365)}&to=${today()}`;
    await timed(`/api/evaluation?${period}`);
    const all: number[] = [];
    const team: number[] = [];
    for (let i = 0; i < 5; i += 1) all.push(await timed(`/api/evaluation?${period}`));
    for (let i = 0; i < 5; i += 1) team.push(await timed(`/api/evaluation?${period}&team=${encodeURIComponent('Assessment Team North')}`));

    const started = performance.now();
    const search = await api.call('POST', '/api/disclosures', { token: t['grace.lee'], body: { name: 'Alex Target' } });
    if (search.status !== 201) throw new Error(`POST /api/disclosures: ${search.status} ${JSON.stringify(search.body)}`);
    const searched = performance.now();
    const zip = await fetch(`${api.url}/api/disclosures/${search.body.id as string}/content`, { headers: { authorization: `Bearer ${t['grace.lee']}` } });
    if (!zip.ok) throw new Error(`GET the bundle: ${zip.status}`);
    const zipBytes = (await zip.arrayBuffer()).byteLength;
    const done = performance.now();
    return {
      requests: Number(count),
      figures: { all, team },
      disclosure: { searchMs: searched - started, bundleMs: done - searched, totalMs: done - started, requestsFound: (search.body.requests as unknown[]).length, zipBytes },
    };
  } finally {
    await api.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The section of docs/benchmarks.md. */
export function evaluationDisclosureSection(r: EvaluationDisclosureResults, load: string): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const scaled = r.requests < 100_000 ? ` At ${r.requests.toLocaleString('en-GB')} requests, not the goal's 100,000 (BENCH_EVALUATION_REQUESTS).` : '';
  return `## Dashboard figures and a disclosure bundle (issue 10)

${r.requests.toLocaleString('en-GB')} requests on PostgreSQL (copies of a shared, a withdrawn and a declined request with their audit
entries and search sessions; \`bench/evaluation-disclosure.ts\`), over HTTP from the same machine.${scaled} ${load}

| run | median | slowest |
| --- | ---: | ---: |
| \`GET /api/evaluation\`, a year, every team (5 runs) | ${ms(median(r.figures.all))} | ${ms(Math.max(...r.figures.all))} |
| \`GET /api/evaluation\`, a year, one team (5 runs) | ${ms(median(r.figures.team))} | ${ms(Math.max(...r.figures.team))} |

| disclosure for one person named in ${r.disclosure.requestsFound} requests | time |
| --- | ---: |
| \`POST /api/disclosures\` (the search) | ${ms(r.disclosure.searchMs)} |
| \`GET /api/disclosures/{id}/content\` (the ZIP, ${(r.disclosure.zipBytes / 1024).toFixed(0)} KB) | ${ms(r.disclosure.bundleMs)} |
| together | ${ms(r.disclosure.totalMs)} |

- Figures: goal < 300 ms at 100,000 requests: ${median(r.figures.all) < 300 ? 'met' : '**not met**'} at this scale.
- Bundle: goal < 1 minute at 100,000 requests: ${r.disclosure.totalMs < 60_000 ? 'met' : '**not met**'} at this scale.
`;
}

/** `npx tsx bench/evaluation-disclosure.ts`: this benchmark alone, printing its section. */
if (require.main === module) {
  void (async () => {
    const { startPostgres, stopPostgres } = await import('../tests/support/postgres');
    const { loadavg } = await import('node:os');
    const server = await startPostgres();
    try {
      const load = `Load average (1, 5, 15 minutes) as it started: ${loadavg().map((l) => l.toFixed(1)).join(', ')}.`;
      const results = await benchEvaluationDisclosure(server.url, Number(process.env.BENCH_EVALUATION_REQUESTS ?? 100_000), (m) => console.log(`[bench] ${m}`));
      console.log(evaluationDisclosureSection(results, load));
    } finally {
      await stopPostgres(server);
    }
  })();
}
