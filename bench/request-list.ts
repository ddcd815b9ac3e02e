/**
 * The request list at scale (issue 11 item 2): `GET /api/requests?waiting=true` (50 a page) as the
 * service director, from 100 concurrent HTTP clients, with the same 60 requests waiting for them and
 * the rest of the database (everyone else's drafts, requests waiting for a team manager, declined
 * ones, all newer than the waiting ones) growing from one scale to the next. Against it, in the same
 * run, the one statement the list sends (its page, each row carrying the "waiting for me" count,
 * compiled from the same condition by the same code) runs bare: by node-postgres from the same 100 clients
 * through a pool of DATABASE_POOL_SIZE, and by pgbench (PostgreSQL's C client) from that many connections.
 * The three alternate in rounds, so each meets the same machine, and each reports its median round:
 * on this shared machine pgbench alone has swung between 600 and 1,300 lists/s from one run to the next.
 *
 * `npx tsx bench/request-list.ts [scales] [lists] [rounds]` runs it alone, e.g. `100,10000 2000 3`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { listConditions } from '../src/app/requests/list-requests';
import { DEMO_PEOPLE } from '../src/identity/demo-directory';
import { createStore } from '../src/store';
import { pageAndCountQuery } from '../src/store/repositories/requests';
import { startPostgres, stopPostgres } from '../tests/support/postgres';
import { createDatabase, median, REQUEST_FORM, SUPERVISION_NOTE } from './decisions';
import { httpClient, json, type HttpClient } from './http-client';
import { medianPgbench, pgbench, type PgbenchResult } from './pgbench';
import { DATABASE_POOL_SIZE, machine, pool, processCpuMs, projectEvaluationBacklog, startServer, timed, warmUp, type LatencyStats, type RunningServer } from './support';

const CLIENTS = 100;
/** Requests waiting for the service director at every scale: more than one page of 50. */
const WAITING = 60;
const PAGE = 50;
const DIRECTOR = 'sarah.mitchell';

type Rounds = { rounds: number[] };
type Statement = { sql: string; parameters: readonly unknown[] };

export interface ListScaleResult {
  requests: number;
  /** Each of the three runs is the round with the median rate, with every round's rate. */
  app: LatencyStats & Rounds;
  /** The server process's CPU time (user and system) per list in the application's median round; null off Linux. */
  serverCpuMsPerList: number | null;
  node: LatencyStats & Rounds;
  pgbench: PgbenchResult & Rounds;
}

interface Client {
  base: string;
  http: HttpClient;
  token(userId: string): Promise<string>;
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
}

function client(base: string): Client {
  const http = httpClient(CLIENTS);
  return {
    base,
    http,
    async call(method, path, token, body) {
      const answer = await http.request(method, `${base}${path}`, { headers: { authorization: `Bearer ${token}` }, body });
      return { status: answer.status, json: json(answer) };
    },
    async token(userId) {
      return json<{ token: string }>(await http.request('POST', `${base}/api/dev/token`, { body: { userId } })).token;
    },
  };
}

/** Raises a request through the API and takes it through `steps`; returns its id. */
async function raise(api: Client, by: string, steps: [string, string, Record<string, unknown>?][]): Promise<string> {
  const created = await api.call('POST', '/api/requests', by, REQUEST_FORM);
  const id = created.json.id;
  if (created.status !== 201 || typeof id !== 'string') throw new Error(`create failed: ${created.status}`);
  let version = 1;
  for (const [token, action, extra] of steps) {
    const r = await api.call('POST', `/api/requests/${id}/actions/${action}`, token, { version, ...extra });
    if (r.status !== 200) throw new Error(`${action} failed: ${r.status} ${JSON.stringify(r.json)}`);
    version = Number(r.json.version);
  }
  return id;
}

/**
 * WAITING requests agreed by the team manager (waiting for the director), then `requests - WAITING`
 * copies of three others' requests, newer than every waiting one: the case where a list that
 * filtered after reading the newest rows lost them.
 */
async function seed(api: Client, url: string, requests: number): Promise<void> {
  const [osw, other, tm] = await Promise.all([api.token('amelia.hart'), api.token('ben.okafor'), api.token('tom.reid')]);
  await pool(
    Array.from({ length: WAITING }, (_, i) => i),
    20,
    async () => void (await raise(api, osw, [[osw, 'submit'], [tm, 'agree', { note: SUPERVISION_NOTE }]])),
  );
  const templates = [
    await raise(api, other, []),
    await raise(api, other, [[other, 'submit']]),
    await raise(api, other, [[other, 'submit'], [tm, 'decline', { reason: 'Not proportionate' }]]),
  ];
  const copies = requests - WAITING - templates.length;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    if (copies > 0) {
      const columns = 'state, version, case_reference, originating_worker_id, team_manager_id, designated_access_worker_id, access_worker_id, form, agreement, authorisation, doubt_resolvers, last_reason, shared_with, submitted_at, closed_at';
      await db.query(
        `INSERT INTO investigation_requests (id, reference, created_at, updated_at, ${columns})
         SELECT gen_random_uuid()::text, 'BENCH-' || n, clock_timestamp() + n * interval '1 millisecond', clock_timestamp(), ${columns}
           FROM generate_series(1, $1::int) AS n
           JOIN investigation_requests t ON t.id = ($2::text[])[1 + n % 3]`,
        [copies, templates],
      );
    }
    // The copies' evaluation rows, as the server's projector would rebuild them within seconds of the copy.
    await projectEvaluationBacklog(db);
    await db.query('ANALYZE investigation_requests');
  } finally {
    await db.end();
  }
}

/** The app's answer to the service director's "waiting for me", checked once, then timed with the server's CPU time. */
async function overHttp(api: Client, server: RunningServer, lists: number): Promise<{ app: LatencyStats; serverCpuMsPerList: number | null }> {
  const token = await api.token(DIRECTOR);
  const first = await api.call('GET', '/api/requests?waiting=true', token);
  const counts = first.json.counts as { waitingForMe: number } | undefined;
  if (first.status !== 200 || (first.json.items as unknown[]).length !== PAGE || counts?.waitingForMe !== WAITING) {
    throw new Error(`the list answered ${first.status} with ${JSON.stringify(counts)}`);
  }
  const list = async () => {
    const answer = await api.http.request('GET', `${api.base}/api/requests?waiting=true`, { headers: { authorization: `Bearer ${token}` } });
    if (answer.status !== 200) throw new Error(`list failed: ${answer.status}`);
  };
  await warmUp(CLIENTS, list);
  const cpuBefore = processCpuMs(server.child.pid);
  const app = await timed(lists, CLIENTS, list);
  const cpuAfter = processCpuMs(server.child.pid);
  return { app, serverCpuMsPerList: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / lists };
}

/** The page with its count exactly as the list sends it for the director's "waiting for me". */
async function listStatement(url: string): Promise<Statement> {
  const person = DEMO_PEOPLE.find((p) => p.id === DIRECTOR);
  if (!person) throw new Error(`${DIRECTOR} is not in the demo directory`);
  const { where, waitingForMe } = listConditions({ ...person, standsInFor: [] }, new Date(), { waiting: true, mine: false, shared: false, q: undefined, raisedFrom: undefined, raisedTo: undefined });
  const store = await createStore({ databaseUrl: url, dataDir: ':memory:' });
  try {
    return pageAndCountQuery(store.db, where, waitingForMe, { limit: PAGE + 1 }).compile();
  } finally {
    await store.close();
  }
}

async function nodeBare(url: string, statement: Statement, lists: number): Promise<LatencyStats> {
  const db = new pg.Pool({ connectionString: url, max: DATABASE_POOL_SIZE });
  try {
    const list = async () => void (await db.query(statement.sql, [...statement.parameters]));
    await warmUp(CLIENTS, list);
    return await timed(lists, CLIENTS, list);
  } finally {
    await db.end();
  }
}

/** The statement with its parameters written in as literals, one pgbench transaction per list. */
async function runPgbench(url: string, statement: Statement, lists: number): Promise<PgbenchResult> {
  const quote = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  const script = `${statement.sql.replace(/\$(\d+)/g, (_, n: string) => quote(statement.parameters[Number(n) - 1])).replace(/\s+/g, ' ')};`;
  const dir = mkdtempSync(join(tmpdir(), 'smc-bench-list-'));
  const file = join(dir, 'list.sql');
  writeFileSync(file, `${script}\n`);
  try {
    return await pgbench(url, file, lists);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One database per scale, each measured the same way: the application, then both bare runs, `rounds` times over. */
export async function benchRequestList(serverUrl: string, scales: number[], lists: number, log: (message: string) => void = () => undefined, rounds = 3): Promise<ListScaleResult[]> {
  const results: ListScaleResult[] = [];
  for (const requests of scales) {
    const url = await createDatabase(serverUrl, `bench_list_${requests}`);
    const dataDir = mkdtempSync(join(tmpdir(), 'smc-bench-list-'));
    const server = await startServer({ DATABASE_URL: url, DATA_DIR: dataDir, DATABASE_POOL_SIZE: String(DATABASE_POOL_SIZE) });
    const api = client(server.url);
    try {
      log(`request list: seeding ${requests} requests`);
      await seed(api, url, requests);
      const statement = await listStatement(url);
      const apps: { app: LatencyStats; serverCpuMsPerList: number | null }[] = [];
      const nodes: LatencyStats[] = [];
      const bares: PgbenchResult[] = [];
      for (let round = 1; round <= rounds; round += 1) {
        log(`request list at ${requests}, round ${round} of ${rounds}: ${lists} lists over HTTP, then bare`);
        apps.push(await overHttp(api, server, lists));
        nodes.push(await nodeBare(url, statement, lists));
        bares.push(await runPgbench(url, statement, lists));
      }
      const app = median(apps.map((a) => a.app));
      const serverCpuMsPerList = apps.find((a) => a.app.perSecond === app.perSecond)?.serverCpuMsPerList ?? null;
      results.push({ requests, app, serverCpuMsPerList, node: median(nodes), pgbench: medianPgbench(bares) });
    } finally {
      api.http.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return results;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;

/** The benchmarks.md section for these results; `load` says what else the machine was doing. */
export function requestListSection(results: ListScaleResult[], lists: number, load: string, rounds: number): string {
  const smallest = results[0];
  const largest = results.at(-1);
  const rate = (r: { perSecond: number; rounds: number[] }) => `${r.perSecond.toFixed(0)} (rounds: ${r.rounds.join(', ')})`;
  const rows = results.flatMap((r) => [
    `| ${r.requests.toLocaleString('en-GB')} | application over HTTP | ${rate(r.app)} | ${ms(r.app.p50)} | ${ms(r.app.p99)} |`,
    `| ${r.requests.toLocaleString('en-GB')} | same SQL bare, node-postgres | ${rate(r.node)} | ${ms(r.node.p50)} | ${ms(r.node.p99)} |`,
    `| ${r.requests.toLocaleString('en-GB')} | same SQL bare, pgbench | ${rate(r.pgbench)} | average ${ms(r.pgbench.latencyAverageMs)} | — |`,
  ]);
  return `## The request list at scale (issue 11)

\`GET /api/requests?waiting=true\` (50 a page, and the "waiting for me" count) as the service director,
${lists} lists from ${CLIENTS} concurrent clients at each scale, timed after one untimed list per client (which opens
the connections, as pgbench connects before it starts its clock), in ${rounds} rounds that alternate the application and
both bare runs; each row is its median round. ${WAITING} requests wait for the director at every
scale; the rest are other people's drafts, requests waiting for a team manager and declined ones, all
newer than the waiting ones. The bare runs send the list's own statement (its page, each row carrying
the count, compiled from the same condition by the same code) through ${DATABASE_POOL_SIZE} connections, the application's pool.
${load}

| requests in the database | run | lists per second | p50 | p99 |
| ---: | --- | ---: | ---: | ---: |
${rows.join('\n')}

${results.map((r) => `- ${r.requests.toLocaleString('en-GB')} requests: the application reaches ${pct(r.app.perSecond / r.pgbench.perSecond)} of pgbench's rate and ${pct(r.app.perSecond / r.node.perSecond)} of node-postgres's (goal ≥ 30 %: ${r.app.perSecond / r.pgbench.perSecond >= 0.3 ? 'met' : '**not met**'})${r.serverCpuMsPerList === null ? '' : `; the server used ${ms(r.serverCpuMsPerList)} of CPU per list`}.`).join('\n')}
${smallest && largest && largest !== smallest ? `- From ${smallest.requests.toLocaleString('en-GB')} to ${largest.requests.toLocaleString('en-GB')} requests the application's p50 goes from ${ms(smallest.app.p50)} to ${ms(largest.app.p50)} and its rate is ${pct(largest.app.perSecond / smallest.app.perSecond)} of the smaller database's.` : ''}
`;
}

if (require.main === module) {
  void (async () => {
    const scales = (process.argv[2] ?? '100,100000').split(',').map(Number);
    const lists = Number(process.argv[3] ?? 2000);
    const rounds = Number(process.argv[4] ?? 3);
    const server = await startPostgres();
    try {
      const results = await benchRequestList(server.url, scales, lists, (m) => console.log(`[bench] ${m}`), rounds);
      console.log(JSON.stringify(results, null, 2));
      console.log(requestListSection(results, lists, `Machine: ${machine()}.`, rounds));
    } catch (error) {
      console.error('benchmark failed:', error);
      process.exitCode = 1;
    } finally {
      await stopPostgres(server);
    }
  })();
}
