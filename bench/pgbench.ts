/**
 * The database's own limit for a decision, and that limit with the application's locks (issue 11
 * item 9): the decision's transaction (bench/pgbench/*.sql) run by pgbench, PostgreSQL's C client,
 * and by node-postgres as the application would send it, from the same number of connections as
 * the application's pool. The locked variants read the request row FOR UPDATE, and beside them a
 * sequencer links the audit entries and a projector rebuilds the evaluation's rows, as every instance
 * does (src/audit/sequencer.ts, createEvaluationProjector in src/store/repositories/evaluation.ts).
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createStore } from '../src/store';
import { findPostgresBin } from '../tests/support/postgres';
import { DATABASE_POOL_SIZE, projectEvaluationBacklog, timed, type LatencyStats } from './support';

const run = promisify(execFile);
const SCRIPTS = join(__dirname, 'pgbench');
/** Requests the bare transactions spread over: enough that two clients rarely pick the same row. */
const BARE_REQUESTS = 10_000;
/** How often each instance's sequencer and projector look for work (src/store/poller.ts). */
const SEQUENCER_INTERVAL_MS = 250;

export type BareVariant = 'plain' | 'locked';

export interface PgbenchResult {
  transactions: number;
  perSecond: number;
  latencyAverageMs: number;
}

/** The pgbench run with the median rate of several, with every run's rate. */
export function medianPgbench(runs: PgbenchResult[]): PgbenchResult & { rounds: number[] } {
  const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no pgbench runs');
  return { ...middle, rounds: runs.map((r) => Math.round(r.perSecond)) };
}

/** A database with the application's schema and BARE_REQUESTS requests whose ids the scripts compute (md5 of 1…N). */
export async function prepareBareDatabase(url: string): Promise<void> {
  await (await createStore({ databaseUrl: url, dataDir: ':memory:' })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO investigation_requests (id, reference, state, version, case_reference, originating_worker_id, form, created_at, updated_at)
       SELECT md5(n::text)::uuid::text, 'PGB-' || n, 'draft', 1, 'CM-BARE', 'amelia.hart', '{}'::jsonb, now(), now()
         FROM generate_series(1, $1::int) AS n
       ON CONFLICT (id) DO NOTHING`,
      [BARE_REQUESTS],
    );
  } finally {
    await client.end();
  }
}

/**
 * Links unlinked audit entries and projects the noted evaluation rows every SEQUENCER_INTERVAL_MS
 * until stopped, in the batches the application's sequencer and projector use.
 */
function sequencerBeside(url: string): { stop(): Promise<void> } {
  const client = new pg.Client({ connectionString: url });
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      await client.query('SELECT audit_link(1000)');
      await projectEvaluationBacklog(client);
      await new Promise((r) => setTimeout(r, SEQUENCER_INTERVAL_MS));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

export function pgbenchBinary(): string {
  try {
    const beside = join(findPostgresBin(), 'pgbench');
    if (existsSync(beside)) return beside;
  } catch {
    // No server binaries found; pgbench may still be on PATH (postgresql-client).
  }
  return 'pgbench';
}

/**
 * `transactions` runs of the script file from DATABASE_POOL_SIZE connections (-c), the
 * application's pool, with `options` before it (e.g. -M prepared, -D name=value).
 */
export async function pgbench(url: string, script: string, transactions: number, options: string[] = []): Promise<PgbenchResult> {
  const perClient = Math.max(1, Math.ceil(transactions / DATABASE_POOL_SIZE));
  const { stdout } = await run(pgbenchBinary(), ['-n', ...options, '-c', String(DATABASE_POOL_SIZE), '-j', '2', '-t', String(perClient), '-f', script, url], { maxBuffer: 16 * 1024 * 1024 });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
  const latency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
  const processed = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
  if (!tps || !latency || !processed) throw new Error(`pgbench printed no result:\n${stdout}`);
  return { transactions: Number(processed), perSecond: Number(tps), latencyAverageMs: Number(latency) };
}

/** `decisions` transactions of the decision script, prepared statements. */
export async function runPgbench(url: string, variant: BareVariant, decisions: number): Promise<PgbenchResult> {
  const script = join(SCRIPTS, variant === 'plain' ? 'decision.sql' : 'decision-locked.sql');
  const sequencer = variant === 'locked' ? sequencerBeside(url) : null;
  try {
    return await pgbench(url, script, decisions, ['-M', 'prepared', '-D', `requests=${BARE_REQUESTS}`]);
  } finally {
    await sequencer?.stop();
  }
}

const STATES = ['awaiting_team_manager', 'awaiting_service_director', 'authorised'];

/** The id the scripts give request n: md5(n) shaped as a UUID, as `md5(n::text)::uuid::text` gives it. */
function bareRequestId(n: number): string {
  const hex = createHash('md5').update(String(n)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The same transaction sent by node-postgres, as the application's store sends it (one statement at a time). */
async function nodeDecision(client: pg.PoolClient, variant: BareVariant, id: string, step: number): Promise<void> {
  await client.query('BEGIN');
  if (variant === 'locked') await client.query('SELECT version FROM investigation_requests WHERE id = $1 FOR UPDATE', [id]);
  await client.query('UPDATE investigation_requests SET state = $2, version = version + 1, updated_at = now() WHERE id = $1', [id, STATES[step]]);
  await client.query(
    `INSERT INTO audit_entries (id, at, actor_id, actor_role, action, request_id, from_state, to_state, body_hash)
     VALUES ($1, now(), 'bench', 'bench', 'bench', $2, 'a', 'b', md5(random()::text) || md5(random()::text))`,
    [randomUUID(), id],
  );
  await client.query(`INSERT INTO outbox (id, request_id, recipient_id, kind, payload) VALUES ($1, $2, 'tom.reid', 'status_changed', '{}'::jsonb)`, [randomUUID(), id]);
  await client.query('COMMIT');
}

/**
 * `decisions` transactions from `clients` concurrent callers through a pool of DATABASE_POOL_SIZE
 * connections, as the application's HTTP clients reach its pool.
 */
export async function runNodeBare(url: string, variant: BareVariant, decisions: number, clients: number): Promise<LatencyStats> {
  const db = new pg.Pool({ connectionString: url, max: DATABASE_POOL_SIZE });
  const sequencer = variant === 'locked' ? sequencerBeside(url) : null;
  try {
    const work = Array.from({ length: decisions }, (_, i) => ({ id: bareRequestId(1 + Math.floor(Math.random() * BARE_REQUESTS)), step: i % 3 }));
    return await timed(work.length, clients, async (i) => {
      const { id, step } = work[i] as { id: string; step: number };
      const client = await db.connect();
      try {
        await nodeDecision(client, variant, id, step);
      } finally {
        client.release();
      }
    });
  } finally {
    await sequencer?.stop();
    await db.end();
  }
}
