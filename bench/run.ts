/**
 * `npm run bench`: every benchmark in one run, results written to docs/benchmarks.md with the
 * machine they ran on. Speed is measured here, never in tests.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startPostgres, stopPostgres } from '../tests/support/postgres';
import { measureFirstPage } from '../tab/scripts/size';
import { benchAuditVerify } from './audit-verify';
import { benchCardDecisions } from './card-decisions';
import { benchDecisions, createDatabase } from './decisions';
import { benchEvaluationDisclosure, evaluationDisclosureSection } from './evaluation-disclosure';
import { benchEvidenceUpload } from './evidence-upload';
import { benchFairDecisions, fairDecisionsSection } from './fair-decisions';
import { benchMemory, memoryTable } from './memory';
import { openLoopApart, openLoopTable } from './open-loop';
import { benchStartup } from './startup';
import { benchRequestList, requestListSection } from './request-list';
import { benchTabLoad } from './tab-load';
import { DATABASE_POOL_SIZE, machine, machineQuiet, serverNodeFlags, serversFromBuild, type LatencyStats } from './support';

const DECISION_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_BYTES ?? 1024 * 1024 * 1024);
const OPEN_LOOP_SECONDS = Number(process.env.BENCH_OPEN_LOOP_SECONDS ?? 30);
const MEMORY_SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 30);
/** Requests in the database for each run of the list benchmark: the list must answer as fast at the largest as at the smallest. */
const LIST_SCALES = (process.env.BENCH_LIST_SCALES ?? '100,100000').split(',').map(Number);
const LISTS = Number(process.env.BENCH_LISTS ?? 2000);
const LIST_ROUNDS = Number(process.env.BENCH_LIST_ROUNDS ?? 3);
const EVALUATION_REQUESTS = Number(process.env.BENCH_EVALUATION_REQUESTS ?? 100_000);

const ms = (n: number) => `${n.toFixed(1)} ms`;
const rate = (n: number) => n.toFixed(0);
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const row = (label: string, s: LatencyStats & { rounds?: number[] }) =>
  `| ${label} | ${s.count} | ${rate(s.perSecond)}${s.rounds ? ` (rounds: ${s.rounds.join(', ')})` : ''} | ${ms(s.p50)} | ${ms(s.p99)} |`;
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

function postgresVersion(): string {
  try {
    return execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'PostgreSQL (version unknown)';
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const log = (message: string) => console.log(`[bench] ${message}`);
  const server = await startPostgres();
  let decisions;
  let cards;
  let auditVerify;
  let fair;
  let fairLoad = '';
  let openLoop;
  let openLoopLoad = '';
  let memory;
  let memoryLoad = '';
  const loadNow = () => `load average (1, 5, 15 minutes) as it started: ${loadavg().map((l) => l.toFixed(1)).join(', ')}`;
  let lists;
  let listLoad = '';
  let evaluation;
  let evaluationLoad = '';
  try {
    log(`decisions over HTTP: ${DECISION_REQUESTS} requests × 3 decisions, 100 clients`);
    decisions = await benchDecisions(server.url, DECISION_REQUESTS);
    log('decisions through one and two instances; the bare transaction by pgbench and node-postgres, with and without the locks');
    fairLoad = `Load average (1, 5, 15 minutes) as it started: ${loadavg().map((l) => l.toFixed(1)).join(', ')}.`;
    fair = await benchFairDecisions(server.url, DECISION_REQUESTS, 3, log);
    listLoad = `Load average (1, 5, 15 minutes) as it started: ${loadavg().map((l) => l.toFixed(1)).join(', ')}.`;
    lists = await benchRequestList(server.url, LIST_SCALES, LISTS, log, LIST_ROUNDS);
    log('card decisions through /api/messages');
    cards = await benchCardDecisions(await createDatabase(server.url, 'bench_cards'), DECISION_REQUESTS);
    log('audit:verify on 100,000 entries');
    auditVerify = await benchAuditVerify(server.url);
    log(`open-loop decisions at 50, 100 and 200 per second, ${OPEN_LOOP_SECONDS} s each`);
    const openLoopBusy = await machineQuiet();
    openLoopLoad = `it began once the cores had been at most 10 % busy for a second (${(openLoopBusy * 100).toFixed(1)} % in that second); ${loadNow()}`;
    openLoop = await openLoopApart(OPEN_LOOP_SECONDS);
    log(`memory under ${MEMORY_SECONDS} s of 100 list and upload clients`);
    memoryLoad = loadNow();
    memory = await benchMemory(server.url, MEMORY_SECONDS);
    log(`dashboard figures and a disclosure bundle over ${EVALUATION_REQUESTS} requests`);
    evaluationLoad = `Load average (1, 5, 15 minutes) as it started: ${loadavg().map((l) => l.toFixed(1)).join(', ')}.`;
    evaluation = await benchEvaluationDisclosure(server.url, EVALUATION_REQUESTS, log);
  } finally {
    await stopPostgres(server);
  }
  log('time to health of npm start, on a new and on an existing database');
  const startupLoad = loadNow();
  const startup = await benchStartup();
  log(`evidence upload: ${(UPLOAD_BYTES / 2 ** 20).toFixed(0)} MiB through the SharePoint adapter`);
  const upload = await benchEvidenceUpload(UPLOAD_BYTES);
  const tabDist = join(__dirname, '..', 'tab', 'dist');
  if (!existsSync(join(tabDist, 'index.html'))) {
    log('building the tab');
    execFileSync('npx', ['vite', 'build', '--config', 'tab/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  }
  const size = measureFirstPage(tabDist);
  log('the tab on slow 4G with the CPU slowed 4×');
  const loads = await benchTabLoad();

  const pgRatio = decisions.postgres.app.perSecond / decisions.postgres.bare.perSecond;
  const liteRatio = decisions.pglite.app.perSecond / decisions.pglite.bare.perSecond;
  const cardRatio = cards.perSecond / decisions.postgres.bare.perSecond;
  const doc = `# Benchmarks

Written by \`npm run bench\` (\`bench/run.ts\`) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC.
Machine: ${machine()}; ${postgresVersion()}. The load generator runs on the same machine as the
server and the database, so every figure shares two cores between them. It is a kept-alive
\`node:http\` client (\`bench/http-client.ts\`) rather than fetch, because on a two-core machine fetch
cost the load generator about 2.5 ms of CPU per request, against about 1 ms for this client.
Every server started in its own process below, but the tab's (started as the browser tests start it, through tsx), ran with node's flags from \`npm run start:prod\` (\`${serverNodeFlags().join(' ')}\`) and ${serversFromBuild() ? 'from the production build in `dist/`, as `npm start` and the deployment run it (`npm run build` had made it from these sources)' : 'from the sources through tsx, as `npm start` does when `dist/` holds no current build (about a tenth more CPU per list than the production build)'}.

## Decisions over HTTP (issue 2)

100 concurrent clients; each takes requests through submit → agree → authorise over HTTP
(\`POST /api/requests/{id}/actions/{action}\`, the server in its own process as \`npm start\` runs
it). The bare rate is the same database doing the same writes without the application: one
transaction that updates the request, inserts the audit entry and inserts the outbox row, from
the same number of clients through a pool of ${DATABASE_POOL_SIZE} connections, the application's own.

| run | decisions | per second | p50 | p99 |
| --- | ---: | ---: | ---: | ---: |
${row('application on PostgreSQL', decisions.postgres.app)}
${row('bare PostgreSQL, same statements', decisions.postgres.bare)}
${row('application on PGlite (embedded)', decisions.pglite.app)}
${row('bare PGlite, same statements', decisions.pglite.bare)}

- PostgreSQL: the application reaches ${pct(pgRatio)} of the bare rate (goal ≥ 30 %: ${verdict(pgRatio >= 0.3)}); p99 ${ms(decisions.postgres.app.p99)} (goal < 50 ms: ${verdict(decisions.postgres.app.p99 < 50)}).
- With 100 clients each always waiting on its next decision, latency is about clients ÷ rate
  (Little's law): a p99 under 50 ms would need more than 2,000 decisions/s, above even the bare
  database's rate on this machine (whose own p99 is ${ms(decisions.postgres.bare.p99)}).
- While the application's runs decided, the work behind the requests (sampled every 100 ms): the
  oldest audit entry not yet linked into the chain had been written ${ms(decisions.postgres.lag.unlinkedMaxMs)} before (by its
  \`at\`, so this includes its decision's wait for its commit; entries must be linked within a second of
  commit); notifications waiting to be sent peaked at ${decisions.postgres.lag.pendingPeak.toLocaleString('en-GB')}, the oldest of them ${ms(decisions.postgres.lag.pendingOldestMs)} old;
  notes of requests whose evaluation rows waited for the projector peaked at ${decisions.postgres.lag.unprojectedPeak.toLocaleString('en-GB')} (two per decision; a read of the figures projects them first).
  The sequencer, the evaluation's projector and the outbox's queue have connections of their own (\`SqlStore.background\`).
  Here the bot posts its cards to the chat preview's stand-in for the Bot Connector, which this same
  server answers, so each delivery waits in line behind the 100 clients' requests and the backlog
  clears only after them; the real Bot Connector answers apart from the app's own load.
- PGlite: ${pct(liteRatio)} of its bare rate. PGlite is one connection, so transactions queue one behind another; it is the local default, not the deployment.

${fairDecisionsSection(fair, fairLoad)}
${requestListSection(lists, LISTS, listLoad, LIST_ROUNDS)}
## Card decisions through the bot (issue 3)

\`adaptiveCard/action\` invokes posted to \`/api/messages\` by 100 concurrent clients against
PostgreSQL (agree by the team manager, authorise by the service director), each answered with its
refreshed card; timed after one untimed decision per client (which opens the connections).

| run | decisions | per second | p50 | p99 |
| --- | ---: | ---: | ---: | ---: |
${row('card decisions on PostgreSQL', cards)}

- ${pct(cardRatio)} of the bare PostgreSQL rate above (goal ≥ 15 %: ${verdict(cardRatio >= 0.15)}); p99 ${ms(cards.p99)} (goal < 50 ms: ${verdict(cards.p99 < 50)}).

## audit:verify (issue 13)

\`npm run audit:verify\` on a chain of ${auditVerify.entries} entries on PostgreSQL, checked against its
published checkpoint: the command start to exit (node + tsx startup, connection, the walk), best of
three, and the verification alone in-process, whose CPU time the machine's other load inflates less.
Timing began once the cores had been at most 10 % busy for a second (${(auditVerify.busyAtStart * 100).toFixed(1)} % in that second).

| run | seconds | entries/s |
| --- | ---: | ---: |
| command, start to exit | ${auditVerify.command.seconds.toFixed(2)} | ${rate(auditVerify.command.perSecond)} |
| deployed command (\`npm run audit:verify:prod\`, compiled, no tsx), start to exit | ${auditVerify.deployedCommand ? auditVerify.deployedCommand.seconds.toFixed(2) : 'not built'} | ${auditVerify.deployedCommand ? rate(auditVerify.deployedCommand.perSecond) : '—'} |
| verification in-process (wall) | ${auditVerify.inProcess.seconds.toFixed(2)} | ${rate(auditVerify.inProcess.perSecond)} |
| verification in-process (CPU) | ${auditVerify.inProcess.cpuSeconds.toFixed(2)} | ${rate(auditVerify.inProcess.perCpuSecond)} |

- Start to exit: goal 200,000 entries/s: ${verdict(Math.max(auditVerify.command.perSecond, auditVerify.deployedCommand?.perSecond ?? 0) >= 200_000)}.

## Open-loop latency on PostgreSQL (issue 13)

Decisions (submitting a draft) sent at a fixed rate for ${OPEN_LOOP_SECONDS} s each, whether or not earlier ones were
answered, each timed from when it was due (\`bench/open-loop.ts\`), by a load generator in a process of its own on a
PostgreSQL server of its own, so that neither the earlier sections' heap nor the vacuuming of their databases
lands in its tail; ${openLoopLoad}.

${openLoopTable(openLoop)}

- p99 at 100/s: ${ms(openLoop.find((r) => r.rate === 100)?.p99 ?? Infinity)} (goal < 50 ms: ${verdict((openLoop.find((r) => r.rate === 100)?.p99 ?? Infinity) < 50)}).

## Memory under list and upload load (issue 13)

100 concurrent clients for ${MEMORY_SECONDS} s on PostgreSQL, half listing requests and half uploading
512 KiB files (\`bench/memory.ts\`); ${memoryLoad}.

${memoryTable(memory)}

## Start-up (issue 13)

\`npm start\` (its tab check included) until \`/api/health\` answers, local mode on PGlite
(\`bench/startup.ts\`); ${startupLoad}. The server ran ${startup.fromBuild ? 'from the production build in `dist/` (`npm run build` had made it from these sources)' : 'from the sources through tsx (no current build in `dist/`)'}.

| database | seconds to health |
| --- | ---: |
| new | ${startup.newDatabase.toFixed(2)} |
| existing (best of ${startup.existingRuns.length}) | ${startup.existingDatabase.toFixed(2)} |

- Existing database: goal under 3 s: ${verdict(startup.existingDatabase < 3)}.

${evaluationDisclosureSection(evaluation, evaluationLoad)}
## Evidence upload to SharePoint (issue 5)

${(upload.bytes / 2 ** 20).toFixed(0)} MiB through the SharePoint adapter (upload session, ${(upload.chunkSize / 2 ** 20).toFixed(0)} MiB ranges)
to the local Graph stand-in, against a plain stream copy of the same bytes over loopback in the same run.

| run | MB/s | peak RSS growth |
| --- | ---: | ---: |
| plain copy (${upload.plainCopy.transport}) | ${upload.plainCopy.megabytesPerSecond.toFixed(0)} | ${upload.plainCopy.peakRssGrowthMiB.toFixed(0)} MiB |
| adapter, size declared | ${upload.adapter.megabytesPerSecond.toFixed(0)} | ${upload.adapter.peakRssGrowthMiB.toFixed(0)} MiB |
| adapter, size not declared (spooled first) | ${upload.adapterSpoolFirst.megabytesPerSecond.toFixed(0)} | ${upload.adapterSpoolFirst.peakRssGrowthMiB.toFixed(0)} MiB |

- Throughput ${pct(upload.ratio)} of the plain copy (goal ≥ 70 %: ${verdict(upload.ratio >= 0.7)}); peak memory growth ${upload.adapter.peakRssGrowthMiB.toFixed(0)} MiB (goal < 64 MiB: ${verdict(upload.adapter.peakRssGrowthMiB < 64)}).

## The tab's first page (issue 4)

| what | gzipped |
| --- | ---: |
| entry chunk(s) | ${(size.entryGzipBytes / 1024).toFixed(0)} KB |
| entry + shell + first page | ${(size.firstPageGzipBytes / 1024).toFixed(0)} KB |
| entry + shell + request page (cold deep link) | ${(size.deepLinkGzipBytes / 1024).toFixed(0)} KB (${(size.deepLinkRawBytes / 1024).toFixed(0)} KB uncompressed) |

- Budget ${(size.budgetBytes / 1024).toFixed(0)} KB: ${verdict(size.withinBudget)}; deep link budget ${(size.deepLinkBudgetBytes / 1024).toFixed(0)} KB: ${verdict(size.deepLinkWithinBudget)}.
- Sent pre-compressed (brotli, else gzip) with \`immutable\` caching for hashed files and \`no-cache\` for index.html.

### Loading on a slow connection (issue 12)

Headless Chromium, nothing cached, DevTools' "Slow 4G" (150 ms round trip, 1.6 Mbit/s down) and the
CPU slowed 4×; from navigation to a usable page, local sign-in (one click) included.

| journey | to a usable page | script sent (compressed) | script unpacked |
| --- | ---: | ---: | ---: |
${loads.map((l) => `| ${l.journey} | ${(l.msToUsable / 1000).toFixed(1)} s | ${(l.scriptBytesSent / 1024).toFixed(0)} KB | ${(l.scriptBytesUnpacked / 1024).toFixed(0)} KB |`).join('\n')}
`;
  writeFileSync(join(__dirname, '..', 'docs', 'benchmarks.md'), doc);
  log('written docs/benchmarks.md');
  console.log(doc);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
