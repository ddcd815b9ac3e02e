/**
 * Open-loop latency on PostgreSQL: decisions arrive at a fixed rate (50, 100 and 200 per second)
 * whether or not earlier ones have been answered, as people using the app do; each is timed from
 * when it was due to be sent, so a stalled server shows in the figures rather than slowing the
 * arrivals (no coordinated omission). Each arrival submits a draft request: one decision, with its
 * audit entry and outbox message, through the whole HTTP stack. Goal: p99 under 50 ms at 100/s.
 *
 * `npm run bench` runs it in a process of its own on a PostgreSQL server of its own
 * (`openLoopApart`): run after the other sections in their process, its tail measured the load
 * generator's heap and the autovacuum of their databases as much as the application. Since a late
 * generator counts against the server here, each run also reports how late its own event loop was.
 */
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startPostgres, stopPostgres } from '../tests/support/postgres';
import { createDatabase, REQUEST_FORM } from './decisions';
import { httpClient, json, type HttpClient } from './http-client';
import { pool, startServer } from './support';

export const OPEN_LOOP_RATES = [50, 100, 200] as const;

export interface OpenLoopResult {
  rate: number;
  seconds: number;
  sent: number;
  /** Answers other than 200: counted, and their time still goes into the percentiles. */
  failed: number;
  /** Decisions answered per second over the run. */
  achieved: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** How late the load generator's own event loop ran at worst during the run, in ms. */
  generatorLateMax: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

async function token(client: HttpClient, base: string, userId: string): Promise<string> {
  return json<{ token: string }>(await client.request('POST', `${base}/api/dev/token`, { body: { userId } })).token;
}

async function drafts(client: HttpClient, base: string, osw: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  await pool(Array.from({ length: count }, (_, i) => i), 20, async () => {
    const r = await client.request('POST', `${base}/api/requests`, { headers: { authorization: `Bearer ${osw}` }, body: REQUEST_FORM });
    if (r.status !== 201) throw new Error(`create failed: ${r.status}`);
    ids.push(json<{ id: string }>(r).id);
  });
  return ids;
}

/** Sends one submit every 1/rate seconds for `seconds`, never waiting for answers. */
async function arrivals(client: HttpClient, base: string, osw: string, ids: string[], rate: number, seconds: number): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let failed = 0;
  const inFlight: Promise<void>[] = [];
  const generatorDelay = monitorEventLoopDelay({ resolution: 10 });
  generatorDelay.enable();
  const started = performance.now();
  for (let k = 0; k < total; k += 1) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = ids[k];
    inFlight.push(
      client
        .request('POST', `${base}/api/requests/${id}/actions/submit`, { headers: { authorization: `Bearer ${osw}` }, body: { version: 1 } })
        .then((answer) => {
          if (answer.status !== 200) failed += 1;
        })
        .catch(() => {
          failed += 1;
        })
        .finally(() => {
          latencies.push(performance.now() - due);
        }),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  generatorDelay.disable();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rate,
    seconds,
    sent: total,
    failed,
    achieved: (total - failed) / elapsed,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    max: sorted[sorted.length - 1] ?? 0,
    // The histogram counts in nanoseconds, and includes its own sampling interval.
    generatorLateMax: Math.max(0, generatorDelay.max / 1e6 - 10),
  };
}

export async function benchOpenLoop(serverUrl: string, seconds = 30, rates: readonly number[] = OPEN_LOOP_RATES): Promise<OpenLoopResult[]> {
  const databaseUrl = await createDatabase(serverUrl, 'bench_open_loop');
  const server = await startServer({ DATABASE_URL: databaseUrl });
  // No limit on connections: arrivals never queue in the client, whatever the server's pace.
  const client = httpClient(Infinity);
  try {
    const osw = await token(client, server.url, 'amelia.hart');
    const results: OpenLoopResult[] = [];
    for (const rate of rates) {
      const ids = await drafts(client, server.url, osw, Math.round(rate * seconds));
      // A second of warm-up at the same rate, not counted.
      await arrivals(client, server.url, osw, await drafts(client, server.url, osw, rate), rate, 1);
      results.push(await arrivals(client, server.url, osw, ids, rate, seconds));
    }
    return results;
  } finally {
    client.close();
    await server.stop();
  }
}

/** The benchmark in a new process on a new PostgreSQL server, as `npm run bench` runs it. */
export async function openLoopApart(seconds: number): Promise<OpenLoopResult[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', __filename, '--json'], {
    env: { ...process.env, BENCH_OPEN_LOOP_SECONDS: String(seconds) },
    maxBuffer: 16 * 2 ** 20,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as OpenLoopResult[];
}

export function openLoopTable(results: OpenLoopResult[]): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return [
    '| arrivals/s | seconds | sent | failed | answered/s | p50 | p99 | p99.9 | max | load generator late by, at most |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.rate} | ${r.seconds} | ${r.sent} | ${r.failed} | ${r.achieved.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.p999)} | ${ms(r.max)} | ${ms(r.generatorLateMax)} |`),
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const server = await startPostgres();
    try {
      const results = await benchOpenLoop(server.url, Number(process.env.BENCH_OPEN_LOOP_SECONDS ?? 30));
      console.log(process.argv.includes('--json') ? JSON.stringify(results) : openLoopTable(results));
    } catch (error) {
      console.error('benchmark failed:', error);
      process.exitCode = 1;
    } finally {
      await stopPostgres(server);
    }
  })();
}
