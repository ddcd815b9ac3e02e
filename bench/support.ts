/** Shared pieces of the benchmarks: a server child process, latency statistics, the machine. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { PROJECTION_BATCH } from '../src/store/repositories/evaluation';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Connections to PostgreSQL per instance, the application's default (DATABASE_POOL_SIZE): the
 * application and every bare baseline it is compared with get the same number.
 */
export const DATABASE_POOL_SIZE = 20;

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Benchmarks measure throughput from one address: the abuse limits would only measure themselves. */
const BENCH_LIMITS = { RATE_LIMIT_PERSON_PER_MINUTE: '1000000', RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000', MAX_UPLOADS_PER_PERSON: '100', MAX_UPLOADS_TOTAL: '1000' };

const { serverBuildCurrent } = createRequire(__filename)('../scripts/server-inputs.cjs') as { serverBuildCurrent: () => boolean };
let fromBuild: boolean | undefined;

/**
 * Whether the servers the benchmarks start run the production build in dist/, as `npm start` and
 * the deployment do when it was built from these sources; else the sources through tsx, which cost
 * the list about a tenth more CPU.
 */
export function serversFromBuild(): boolean {
  // The digest reads every source file, and the sources do not change during a run: read once.
  fromBuild ??= serverBuildCurrent();
  return fromBuild;
}

let nodeFlags: string[] | undefined;

/**
 * The flags node runs the server with in production: those of `npm run start:prod` (the Dockerfile
 * runs the same command), so that a benchmark meets the heap the deployment has.
 */
export function serverNodeFlags(): string[] {
  // Read once per run, as serversFromBuild is: every server started meets the same package.json.
  nodeFlags ??= ((JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'] ?? '')
    .split(/\s+/)
    .filter((word) => word.startsWith('--'));
  return nodeFlags;
}

/** Starts the server as its own process, as `npm start` would (see serversFromBuild), and waits until healthy. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  // node itself (not npx) so that stopping the child stops the server.
  const child = spawn(process.execPath, [...serverNodeFlags(), ...(serversFromBuild() ? ['dist/src/main/start.js'] : ['--import', 'tsx', 'src/main/start.ts'])], { env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...BENCH_LIMITS, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a shared machine with a load average near 20, starting tsx and the server has taken over a minute.
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the server did not start within 240 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LatencyStats {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export function stats(latenciesMs: number[], seconds: number): LatencyStats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, seconds, perSecond: sorted.length / seconds, p50: at(0.5), p99: at(0.99) };
}

/** Runs `work` for each item with at most `concurrency` at once. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

/** `count` calls of `work` from `concurrency` callers at once: the latency of each, and the rate over all. */
/**
 * One untimed round of `work`, once per client at once, before a timed run: it opens every
 * connection the run will use (HTTP and database) and compiles the hot code, as pgbench connects
 * before it starts its clock. Timed from cold, the first request on each of 100 new HTTP
 * connections to a busy server took up to 5-7 s, all of the request list's p99, while requests
 * sent a second later on the same connections took 0.3 s; the first 100 card decisions took 2 s.
 */
export async function warmUp(concurrency: number, work: () => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: concurrency }, () => work()));
}

export async function timed(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<LatencyStats> {
  const latencies: number[] = [];
  const started = performance.now();
  await pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const t0 = performance.now();
      await work(i);
      latencies.push(performance.now() - t0);
    },
  );
  return stats(latencies, (performance.now() - started) / 1000);
}

/**
 * The CPU time (user and system) a process has used so far, in milliseconds, from /proc; null
 * where there is none. Its 14th and 15th fields count in USER_HZ, 100 a second on Linux.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field, in brackets) may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node.js ${process.version}, ${process.platform} ${process.arch}`;
}

/** The machine's CPU time so far, busy and in total, over every core (os.cpus()). */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

/**
 * Waits until the machine's cores have been at most `busyAtMost` busy (a fraction) over a whole
 * second, or `limitMs` has passed, and returns how busy that last second was. A section whose tail
 * is its goal starts once what earlier sections left running (their servers' shutdown, the
 * databases' autovacuum) has died down, rather than measuring it.
 */
export async function machineQuiet(busyAtMost = 0.1, limitMs = 60_000): Promise<number> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const before = cpuTimes();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = cpuTimes();
    const busy = (after.busy - before.busy) / Math.max(1, after.total - before.total);
    if (busy <= busyAtMost || Date.now() > deadline) return busy;
  }
}

/**
 * Rebuilds the evaluation rows of every request noted so far (migration 085), in the batches the
 * application's projector uses (projectPendingEvaluation, here over a bare node-postgres client): a
 * bulk seed is projected before anything is timed over it.
 */
export async function projectEvaluationBacklog(client: { query<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[] }> }): Promise<void> {
  for (let more = true; more; ) {
    more = (await client.query<{ more: boolean }>('SELECT more FROM evaluation_project_pending($1)', [PROJECTION_BATCH])).rows[0]?.more ?? false;
  }
}
