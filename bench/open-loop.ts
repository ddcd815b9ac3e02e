/**
 * Open-loop latency on PostgreSQL: decisions arrive at a fixed rate (50, 100 and 200 per second)
 * whether or not earlier ones have been answered, as people using the app do; each is timed from
 * when it was due to be sent, so a stalled server shows in the figures rather than slowing the
 * arrivals (no coordinated omission). Each arrival submits a draft request: one decision, with its
 * audit entry and outbox message, through the whole HTTP stack. Goal: p99 under 50 ms at 100/s.
 */
import { performance } from 'node:perf_hooks';
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

export function openLoopTable(results: OpenLoopResult[]): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return [
    '| arrivals/s | seconds | sent | failed | answered/s | p50 | p99 | p99.9 | max |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.rate} | ${r.seconds} | ${r.sent} | ${r.failed} | ${r.achieved.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.p999)} | ${ms(r.max)} |`),
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const server = await startPostgres();
    try {
      console.log(openLoopTable(await benchOpenLoop(server.url, Number(process.env.BENCH_OPEN_LOOP_SECONDS ?? 30))));
    } catch (error) {
      console.error('benchmark failed:', error);
      process.exitCode = 1;
    } finally {
      await stopPostgres(server);
    }
  })();
}
