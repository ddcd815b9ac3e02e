/**
 * Evidence upload benchmark (issue 5): 1 GiB generated in memory is put through the SharePoint
 * adapter (spool to disk + SHA-256 + upload session in 10 MiB ranges) to the local Graph server,
 * and in the same run the same bytes are copied with one plain streamed HTTPS PUT to the same
 * server. The adapter runs in two ways: with the size declared (ranges follow the spool, as when
 * the tab sends the file's size) and without (the whole file is spooled before the session starts).
 * The Graph server runs in a child process, so the peak RSS growth measured here is the
 * adapter's own. Run alone: `npx tsx bench/evidence-upload.ts` prints a JSON summary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { SharePointEvidenceStore } from '../src/evidence/sharepoint';
import { startGraphServer } from '../tests/support/graph-server';

const MiB = 1024 * 1024;

export interface UploadRun {
  seconds: number;
  megabytesPerSecond: number;
  peakRssGrowthMiB: number;
}

/** The median run of several (by throughput), with every run's throughput for the spread. */
export interface UploadSeries extends UploadRun {
  runsMegabytesPerSecond: number[];
}

export interface EvidenceUploadResults {
  bytes: number;
  chunkSize: number;
  rounds: number;
  /** Size declared: the upload session follows the spool to disk. */
  adapter: UploadSeries;
  /** Size not declared: the whole file is spooled (and hashed) before the first range. */
  adapterSpoolFirst: UploadSeries;
  plainCopy: UploadSeries & { transport: string };
  /** Adapter throughput (size declared) as a share of the plain copy's, medians (goal ≥ 0.7). */
  ratio: number;
  ratioSpoolFirst: number;
  /** The largest RSS growth seen in any adapter run (goal < 64 MiB). */
  peakRssGrowthMiB: number;
  machine: { cpus: number; model: string; node: string };
}

interface GraphServerHandle {
  origin: string;
  tenantId: string;
  ca: string;
  child: ChildProcess;
}

/** The same 1 MiB of random bytes, repeated: generating is then free and the bytes are not compressible. */
function generated(bytes: number): Readable {
  const block = randomBytes(MiB);
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < bytes; sent += MiB) yield sent + MiB <= bytes ? block : block.subarray(0, bytes - sent);
    })(),
  );
}

async function measure<T>(work: () => Promise<T>, bytes: number): Promise<{ result: T; run: UploadRun }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, run: { seconds: round(seconds), megabytesPerSecond: round(bytes / 1e6 / seconds), peakRssGrowthMiB: round((peak - baseline) / MiB) } };
  } finally {
    clearInterval(sampler);
  }
}

function plainCopy(server: GraphServerHandle, bytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.origin}/sink`, { method: 'PUT', ca: server.ca, headers: { 'content-length': bytes } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`sink answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    generated(bytes).pipe(req);
  });
}

async function startChildGraphServer(): Promise<GraphServerHandle> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--graph-server'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stdout = child.stdout;
  if (!stdout) throw new Error('the Graph server child has no stdout');
  const first = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the Graph server child exited (${code})`)));
    createInterface({ input: stdout }).once('line', resolve);
  });
  const info = JSON.parse(first) as Omit<GraphServerHandle, 'child'>;
  return { ...info, child };
}

function storeAt(server: GraphServerHandle, pendingDir: string, chunkSize: number): SharePointEvidenceStore {
  return new SharePointEvidenceStore({
    tenantId: server.tenantId,
    clientId: 'bench',
    clientSecret: 'bench',
    siteId: 'bench-site',
    driveId: 'bench-drive',
    graphBaseUrl: `${server.origin}/v1.0`,
    authorityHost: server.origin,
    caCertificate: server.ca,
    chunkSize,
    pendingDir,
  });
}

async function adapterRun(server: GraphServerHandle, chunkSize: number, bytes: number, declareSize: boolean): Promise<UploadRun> {
  const pendingDir = mkdtempSync(path.join(tmpdir(), 'bench-evidence-'));
  const store = storeAt(server, pendingDir, chunkSize);
  try {
    // Warm up the token, the TLS session and the code paths, so the measured run does not pay for them.
    await store.put(input(generated(MiB)));
    const { result, run } = await measure(() => store.put(input(generated(bytes)), declareSize ? { expectedSize: bytes } : {}), bytes);
    if (result.status !== 'stored') throw new Error(`the benchmark upload ended ${result.status}`);
    return run;
  } finally {
    store.close();
    rmSync(pendingDir, { recursive: true, force: true });
  }
}

function median(runs: UploadRun[]): UploadSeries {
  const sorted = [...runs].sort((a, b) => a.megabytesPerSecond - b.megabytesPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no runs');
  return { ...middle, runsMegabytesPerSecond: runs.map((r) => r.megabytesPerSecond) };
}

/**
 * The three kinds of run take turns, `rounds` times, and each reports its median: on a virtual
 * machine the disk's speed for fresh writes varies several-fold from one run to the next, and a
 * single run mostly measures whichever of them drew the slow disk.
 */
export async function benchEvidenceUpload(bytes = 1024 * MiB, rounds = 3): Promise<EvidenceUploadResults> {
  const server = await startChildGraphServer();
  const chunkSize = 10 * MiB;
  const plain: UploadRun[] = [];
  const declared: UploadRun[] = [];
  const spoolFirst: UploadRun[] = [];
  try {
    await plainCopy(server, MiB);
    for (let round = 0; round < rounds; round += 1) {
      plain.push((await measure(() => plainCopy(server, bytes), bytes)).run);
      spoolFirst.push(await adapterRun(server, chunkSize, bytes, false));
      declared.push(await adapterRun(server, chunkSize, bytes, true));
    }
  } finally {
    server.child.kill();
  }
  const [adapter, adapterSpoolFirst, plainCopyRuns] = [median(declared), median(spoolFirst), median(plain)];
  return {
    bytes,
    chunkSize,
    rounds,
    adapter,
    adapterSpoolFirst,
    plainCopy: { ...plainCopyRuns, transport: 'one streamed HTTPS PUT over loopback to the same server' },
    ratio: round(adapter.megabytesPerSecond / plainCopyRuns.megabytesPerSecond),
    ratioSpoolFirst: round(adapterSpoolFirst.megabytesPerSecond / plainCopyRuns.megabytesPerSecond),
    peakRssGrowthMiB: Math.max(...[...declared, ...spoolFirst].map((r) => r.peakRssGrowthMiB)),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  };
}

function input(content: Readable): Parameters<SharePointEvidenceStore['put']>[0] {
  return {
    requestId: 'bench',
    requestReference: 'SMC-BENCH-000001',
    caseReference: 'BENCH',
    fileName: 'bench.mp4',
    contentType: 'video/mp4',
    content,
    metadata: {
      subjectId: 'subject',
      sourceUrl: 'https://www.facebook.com/bench',
      capturedAt: new Date().toISOString(),
      description: 'Benchmark upload',
      publiclyVisible: true,
      correctionReason: undefined,
      capturedBy: 'bench',
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

async function serveGraph(): Promise<void> {
  const server = await startGraphServer({ keepContent: false });
  process.stdout.write(`${JSON.stringify({ origin: server.origin, tenantId: server.tenantId, ca: server.ca })}\n`);
}

if (require.main === module) {
  if (process.argv.includes('--graph-server')) {
    serveGraph().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  } else {
    benchEvidenceUpload().then(
      (results) => console.log(JSON.stringify(results, null, 2)),
      (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
  }
}
