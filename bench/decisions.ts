/**
 * Decisions over HTTP: 100 concurrent clients each take requests through submit → agree →
 * authorise, against a real PostgreSQL server (and against embedded PGlite); in the same run the
 * database's bare rate for the same statements without the application.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createStore } from '../src/store';
import { startPostgres, stopPostgres } from '../tests/support/postgres';
import { sampleBackgroundLag, worstLag, type BackgroundLag } from './background-lag';
import { httpClient, json, type HttpAnswer, type HttpClient } from './http-client';
import { DATABASE_POOL_SIZE, pool, startServer, stats, type LatencyStats } from './support';
import { SUPERVISION_NOTE } from '../tests/support/action-body';

/** The team manager's agreement carries a supervision note (DESIGN.md §3): the tests' own. */
export { SUPERVISION_NOTE };

const CONCURRENCY = 100;

/** The Investigation Request every benchmark raises. */
export const REQUEST_FORM = {
  caseReference: 'CM-BENCH',
  children: [{ name: 'Child A' }],
  concernCategories: ['risky_behaviour'],
  concernDetails: 'Benchmark',
  justification: 'Benchmark',
  subjects: [{ kind: 'service_user', name: 'Jane Doe' }],
  period: { from: '2026-06-01', to: '2026-11-01' },
  monitoring: null,
  neededBy: '2026-12-20',
};

function post(client: HttpClient, url: string, token: string, body: unknown): Promise<HttpAnswer> {
  return client.request('POST', url, { headers: { authorization: `Bearer ${token}` }, body });
}

async function token(client: HttpClient, base: string, userId: string): Promise<string> {
  return json<{ token: string }>(await client.request('POST', `${base}/api/dev/token`, { body: { userId } })).token;
}

/** The application's rate: every decision is an HTTP call through the whole stack. */
export async function overHttp(base: string, requests: number): Promise<LatencyStats> {
  const client = httpClient(CONCURRENCY);
  try {
    return await decide(client, base, requests);
  } finally {
    client.close();
  }
}

async function decide(client: HttpClient, base: string, requests: number): Promise<LatencyStats> {
  const [osw, tm, sd] = await Promise.all([token(client, base, 'amelia.hart'), token(client, base, 'tom.reid'), token(client, base, 'sarah.mitchell')]);
  const ids: string[] = [];
  await pool(Array.from({ length: requests }, (_, i) => i), CONCURRENCY, async () => {
    const created = await post(client, `${base}/api/requests`, osw, REQUEST_FORM);
    const { id } = json<{ id?: string }>(created);
    if (created.status !== 201 || !id) throw new Error(`create failed: ${created.status}`);
    ids.push(id);
  });
  const latencies: number[] = [];
  const steps: [string, string][] = [
    [osw, 'submit'],
    [tm, 'agree'],
    [sd, 'authorise'],
  ];
  const started = performance.now();
  await pool(ids, CONCURRENCY, async (id) => {
    let version = 1;
    for (const [who, action] of steps) {
      const t0 = performance.now();
      const r = await post(client, `${base}/api/requests/${id}/actions/${action}`, who, action === 'agree' ? { version, note: SUPERVISION_NOTE } : { version });
      latencies.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`${action} failed: ${r.status} ${r.body.toString()}`);
      version += 1;
    }
  });
  return stats(latencies, (performance.now() - started) / 1000);
}

const SEED = `INSERT INTO investigation_requests (id, reference, state, version, case_reference, originating_worker_id, form, created_at, updated_at)
  VALUES ($1, $2, 'draft', 1, 'CM-BARE', 'amelia.hart', '{}'::jsonb, now(), now())`;
const STEP = [
  `UPDATE investigation_requests SET state = $2, version = version + 1, updated_at = now() WHERE id = $1 AND version = $3`,
  `INSERT INTO audit_entries (seq, id, at, actor_id, actor_role, action, request_id, from_state, to_state, prev_hash, hash)
     VALUES (nextval('bench_audit_seq'), $1, now(), 'bench', 'bench', $2, $3, 'a', 'b', repeat('0', 64), repeat('0', 64))`,
  `INSERT INTO outbox (id, request_id, recipient_id, kind, payload) VALUES ($1, $2, 'tom.reid', 'status_changed', '{}'::jsonb)`,
];
const STATES = ['awaiting_team_manager', 'awaiting_service_director', 'authorised'];

interface Sql {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

async function bareDecision(client: Sql, id: string, step: number): Promise<void> {
  await client.query('BEGIN');
  await client.query(STEP[0] ?? '', [id, STATES[step], step + 1]);
  await client.query(STEP[1] ?? '', [randomUUID(), `bench_${step}`, id]);
  await client.query(STEP[2] ?? '', [randomUUID(), id]);
  await client.query('COMMIT');
}

/** The database alone: the same three statements in one transaction, from the same clients through a pool the size of the application's. */
async function bareOnServer(url: string, requests: number): Promise<LatencyStats> {
  const db = new pg.Pool({ connectionString: url, max: DATABASE_POOL_SIZE });
  try {
    return await bareRounds(db, requests);
  } finally {
    await db.end();
  }
}

async function bareRounds(db: pg.Pool, requests: number): Promise<LatencyStats> {
  await db.query(`CREATE SEQUENCE IF NOT EXISTS bench_audit_seq START 100000000`);
  const ids = Array.from({ length: requests }, () => randomUUID());
  await pool(ids, 20, async (id) => {
    await db.query(SEED, [id, `BARE-${id}`]);
  });
  const latencies: number[] = [];
  const started = performance.now();
  await pool(ids, CONCURRENCY, async (id) => {
    const client = await db.connect();
    try {
      for (let step = 0; step < 3; step++) {
        const t0 = performance.now();
        await bareDecision(client, id, step);
        latencies.push(performance.now() - t0);
      }
    } finally {
      client.release();
    }
  });
  return stats(latencies, (performance.now() - started) / 1000);
}

async function bareOnPglite(dataDir: string, requests: number): Promise<LatencyStats> {
  const db = new PGlite(join(dataDir, 'pglite'));
  await db.query(`CREATE SEQUENCE IF NOT EXISTS bench_audit_seq START 100000000`);
  const ids = Array.from({ length: requests }, () => randomUUID());
  for (const id of ids) await db.query(SEED, [id, `BARE-${id}`]);
  const latencies: number[] = [];
  const started = performance.now();
  // PGlite is one connection: clients queue one behind another, as they do in the application.
  for (const id of ids) {
    for (let step = 0; step < 3; step++) {
      const t0 = performance.now();
      await bareDecision(db, id, step);
      latencies.push(performance.now() - t0);
    }
  }
  const result = stats(latencies, (performance.now() - started) / 1000);
  await db.close();
  return result;
}

type Median = LatencyStats & { rounds: number[] };

export interface DecisionResults {
  /** `lag`: the work behind the requests while the application's runs decided (the worst run). */
  postgres: { app: Median; bare: Median; lag: BackgroundLag };
  pglite: { app: Median; bare: Median };
}

/** A new database on the PostgreSQL server at `serverUrl`; returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The run with the median rate: disk and CPU speed swing on a shared machine, so one run is not enough. */
export function median(runs: LatencyStats[]): LatencyStats & { rounds: number[] } {
  const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  const middle = sorted[Math.floor(sorted.length / 2)] ?? sorted[0];
  if (!middle) throw new Error('no runs');
  return { ...middle, rounds: runs.map((r) => Math.round(r.perSecond)) };
}

/**
 * Rounds alternate application and bare runs, so both meet the same machine; each round starts
 * the server afresh (PGlite allows one process at a time) and uses new requests.
 */
async function alternate(rounds: number, app: () => Promise<LatencyStats>, bare: () => Promise<LatencyStats>) {
  const apps: LatencyStats[] = [];
  const bares: LatencyStats[] = [];
  for (let round = 0; round < rounds; round++) {
    apps.push(await app());
    bares.push(await bare());
  }
  return { app: median(apps), bare: median(bares) };
}

async function appRound(env: Record<string, string>, requests: number): Promise<LatencyStats> {
  const running = await startServer(env);
  try {
    return await overHttp(running.url, requests);
  } finally {
    await running.stop();
  }
}

export async function benchDecisions(serverUrl: string, requests = 1000, rounds = 3): Promise<DecisionResults> {
  const appUrl = await createDatabase(serverUrl, 'bench_app');
  // Migrated before the first round: the lag sampler reads the audit and outbox tables from its start.
  await (await createStore({ databaseUrl: appUrl, dataDir: ':memory:' })).close();
  // The bare runs write dummy audit rows: they get a database of their own, with the same schema.
  const bareUrl = await createDatabase(serverUrl, 'bench_bare');
  await (await createStore({ databaseUrl: bareUrl, dataDir: ':memory:' })).close();
  const dataDir = mkdtempSync(join(tmpdir(), 'smc-bench-'));
  const liteDir = mkdtempSync(join(tmpdir(), 'smc-bench-lite-'));
  const liteBareDir = mkdtempSync(join(tmpdir(), 'smc-bench-lite-bare-'));
  await (await createStore({ dataDir: liteBareDir })).close();
  const liteRequests = Math.min(requests, 300);
  try {
    const lags: BackgroundLag[] = [];
    const postgres = await alternate(
      rounds,
      async () => {
        const { result, lag } = await sampleBackgroundLag(appUrl, () => appRound({ DATABASE_URL: appUrl, DATA_DIR: dataDir, DATABASE_POOL_SIZE: String(DATABASE_POOL_SIZE) }, requests));
        lags.push(lag);
        return result;
      },
      () => bareOnServer(bareUrl, requests),
    );
    const pglite = await alternate(
      rounds,
      () => appRound({ DATA_DIR: liteDir }, liteRequests),
      () => bareOnPglite(liteBareDir, liteRequests),
    );
    return { postgres: { ...postgres, lag: worstLag(lags) }, pglite };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(liteDir, { recursive: true, force: true });
    rmSync(liteBareDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void (async () => {
    const server = await startPostgres();
    try {
      console.log(JSON.stringify(await benchDecisions(server.url, Number(process.argv[2] ?? 1000)), null, 2));
    } catch (error) {
      console.error('benchmark failed:', error);
      process.exitCode = 1;
    } finally {
      await stopPostgres(server);
    }
  })();
}
