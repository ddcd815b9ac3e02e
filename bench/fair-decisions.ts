/**
 * Decisions measured fairly (issue 9 and issue 11 item 9), every run alternating with the others
 * in each round so they meet the same machine:
 * - the application over HTTP: one instance, then two instances on the same PostgreSQL behind a
 *   round-robin proxy (bench/two-instances.ts);
 * - the bare transaction run by pgbench, with and without the application's locks (bench/pgbench.ts);
 * - the same bare transaction from node-postgres, with and without the locks.
 * Every one of them reaches PostgreSQL through DATABASE_POOL_SIZE connections per instance.
 *
 * `npx tsx bench/fair-decisions.ts [decisions] [rounds]` runs it alone and prints the section.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, stopPostgres } from '../tests/support/postgres';
import { createDatabase, median, overHttp } from './decisions';
import { medianPgbench, prepareBareDatabase, runNodeBare, runPgbench, type PgbenchResult } from './pgbench';
import { DATABASE_POOL_SIZE, machine, startServer, type LatencyStats } from './support';
import { behindProxy } from './two-instances';

const CLIENTS = 100;

type Median = LatencyStats & { rounds: number[] };

export interface FairDecisionResults {
  decisions: number;
  rounds: number;
  app: { direct: Median; oneBehindProxy: Median; twoBehindProxy: Median };
  pgbench: { plain: PgbenchResult & { rounds: number[] }; locked: PgbenchResult & { rounds: number[] } };
  node: { plain: Median; locked: Median };
}

async function direct(env: Record<string, string>, requests: number): Promise<LatencyStats> {
  const server = await startServer(env);
  try {
    return await overHttp(server.url, requests);
  } finally {
    await server.stop();
  }
}

/**
 * `requests` requests each take three decisions in the application runs, so the bare runs do
 * 3 × `requests` transactions.
 */
export async function benchFairDecisions(serverUrl: string, requests = 1000, rounds = 3, log: (message: string) => void = () => undefined): Promise<FairDecisionResults> {
  const appUrl = await createDatabase(serverUrl, 'bench_fair_app');
  const bareUrl = await createDatabase(serverUrl, 'bench_fair_bare');
  await prepareBareDatabase(bareUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'smc-bench-fair-'));
  const env = { DATABASE_URL: appUrl, DATA_DIR: dataDir, DATABASE_POOL_SIZE: String(DATABASE_POOL_SIZE) };
  const decisions = requests * 3;
  const runs = { direct: [] as LatencyStats[], one: [] as LatencyStats[], two: [] as LatencyStats[], pgPlain: [] as PgbenchResult[], pgLocked: [] as PgbenchResult[], nodePlain: [] as LatencyStats[], nodeLocked: [] as LatencyStats[] };
  try {
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round}/${rounds}: application, one instance`);
      runs.direct.push(await direct(env, requests));
      log(`round ${round}/${rounds}: one instance behind the proxy`);
      runs.one.push(await behindProxy(1, env, requests));
      log(`round ${round}/${rounds}: two instances behind the proxy`);
      runs.two.push(await behindProxy(2, env, requests));
      log(`round ${round}/${rounds}: pgbench, plain and locked`);
      runs.pgPlain.push(await runPgbench(bareUrl, 'plain', decisions));
      runs.pgLocked.push(await runPgbench(bareUrl, 'locked', decisions));
      log(`round ${round}/${rounds}: node-postgres, plain and locked`);
      runs.nodePlain.push(await runNodeBare(bareUrl, 'plain', decisions, CLIENTS));
      runs.nodeLocked.push(await runNodeBare(bareUrl, 'locked', decisions, CLIENTS));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    decisions,
    rounds,
    app: { direct: median(runs.direct), oneBehindProxy: median(runs.one), twoBehindProxy: median(runs.two) },
    pgbench: { plain: medianPgbench(runs.pgPlain), locked: medianPgbench(runs.pgLocked) },
    node: { plain: median(runs.nodePlain), locked: median(runs.nodeLocked) },
  };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const rate = (s: { perSecond: number; rounds: number[] }) => `${s.perSecond.toFixed(0)} (rounds: ${s.rounds.join(', ')})`;

/** The benchmarks.md section for these results; `load` says what else the machine was doing. */
export function fairDecisionsSection(r: FairDecisionResults, load: string): string {
  const app = r.app.direct.perSecond;
  return `## Decisions: two instances, and the bare baselines (issues 9 and 11)

${r.decisions / 3} requests × 3 decisions (submit → agree → authorise) from ${CLIENTS} HTTP clients, median of ${r.rounds}
rounds; every run below alternates with the others within each round. Every instance, and every bare run,
reaches PostgreSQL through ${DATABASE_POOL_SIZE} connections (the application's default \`DATABASE_POOL_SIZE\`).
${load}

| run | decisions | per second | p50 | p99 |
| --- | ---: | ---: | ---: | ---: |
| application, one instance | ${r.app.direct.count} | ${rate(r.app.direct)} | ${ms(r.app.direct.p50)} | ${ms(r.app.direct.p99)} |
| application, one instance behind the round-robin proxy | ${r.app.oneBehindProxy.count} | ${rate(r.app.oneBehindProxy)} | ${ms(r.app.oneBehindProxy.p50)} | ${ms(r.app.oneBehindProxy.p99)} |
| application, two instances behind the round-robin proxy | ${r.app.twoBehindProxy.count} | ${rate(r.app.twoBehindProxy)} | ${ms(r.app.twoBehindProxy.p50)} | ${ms(r.app.twoBehindProxy.p99)} |
| bare transaction, node-postgres | ${r.node.plain.count} | ${rate(r.node.plain)} | ${ms(r.node.plain.p50)} | ${ms(r.node.plain.p99)} |
| bare transaction with the application's locks, node-postgres | ${r.node.locked.count} | ${rate(r.node.locked)} | ${ms(r.node.locked.p50)} | ${ms(r.node.locked.p99)} |
| bare transaction, pgbench | ${r.pgbench.plain.transactions} | ${rate(r.pgbench.plain)} | average ${ms(r.pgbench.plain.latencyAverageMs)} | — |
| bare transaction with the application's locks, pgbench | ${r.pgbench.locked.transactions} | ${rate(r.pgbench.locked)} | average ${ms(r.pgbench.locked.latencyAverageMs)} | — |

- The bare transaction is the decision's writes as the application makes them (\`bench/pgbench/decision.sql\`):
  update the request, insert its audit entry unlinked, insert one outbox message. "With the application's
  locks" (\`decision-locked.sql\`) first reads the request row \`FOR UPDATE\`, as every use case that changes
  a request does, and runs beside it, every 250 ms, what the application's instances run behind their
  decisions: the sequencer linking audit entries and the projector rebuilding the evaluation's rows. Since
  migration 050 a decision no longer takes the audit chain's lock: only the sequencer does, after commit.
- The bare transaction writes the same tables as the application, so their triggers run for both: each
  transaction notes its request for the evaluation's projection (migration 084). Since migration 085 the
  rows are rebuilt after commit, in batches (by the projector beside the locked runs, and by none beside
  the plain ones), where before each transaction rebuilt its request's row as it committed.
- Outbox messages the decisions write are delivered by the application in the same process while it
  decides; with 100 clients deciding as fast as they can, the decisions take nearly all of its
  connections, and most deliveries wait until the run ends. The bare runs deliver nothing.
- Two instances reach ${pct(r.app.twoBehindProxy.perSecond / r.app.oneBehindProxy.perSecond)} of one instance's rate through the same proxy.
- The application (one instance) reaches ${pct(app / r.pgbench.plain.perSecond)} of pgbench's rate and ${pct(app / r.pgbench.locked.perSecond)} of pgbench with the
  locks; ${pct(app / r.node.plain.perSecond)} and ${pct(app / r.node.locked.perSecond)} of the same from node-postgres.
`;
}

if (require.main === module) {
  void (async () => {
    const requests = Number(process.argv[2] ?? 1000);
    const rounds = Number(process.argv[3] ?? 3);
    const server = await startPostgres();
    try {
      const results = await benchFairDecisions(server.url, requests, rounds, (m) => console.log(`[bench] ${m}`));
      console.log(JSON.stringify(results, null, 2));
      console.log(fairDecisionsSection(results, `Machine: ${machine()}.`));
    } catch (error) {
      console.error('benchmark failed:', error);
      process.exitCode = 1;
    } finally {
      await stopPostgres(server);
    }
  })();
}
