/**
 * Memory under load: 100 concurrent clients for 30 s (BENCH_MEMORY_SECONDS) against the server on
 * PostgreSQL, half listing requests (GET /api/requests) and half uploading 512 KiB evidence files
 * to a request being searched. Reports the server's peak resident set (VmHWM, from /proc) and its
 * JavaScript heap, sampled every second from Node's diagnostic report (SIGUSR2).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPostgres, stopPostgres } from '../tests/support/postgres';
import { createDatabase, REQUEST_FORM, SUPERVISION_NOTE } from './decisions';
import { httpClient, json, type HttpClient } from './http-client';
import { startServer } from './support';

export interface MemoryResults {
  seconds: number;
  clients: number;
  lists: number;
  uploads: number;
  failed: number;
  /** Resident set before the load, and its peak over the run (MiB). */
  rssBeforeMiB: number;
  rssPeakMiB: number;
  /** JavaScript heap in use: before, and the highest of the samples (MiB). */
  heapBeforeMiB: number;
  heapPeakMiB: number;
}

const UPLOAD_BYTES = 512 * 1024;
/** A PNG's signature and header, padded: the server decides the type from the first bytes. */
const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const FILE = Buffer.concat([PNG_HEAD, Buffer.alloc(UPLOAD_BYTES - PNG_HEAD.length, 7)]);

const MiB = (kb: number) => kb / 1024;

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

/** Asks the server for a diagnostic report and reads its heap in use (MiB). */
async function heapUsedMiB(pid: number, reportDir: string): Promise<number> {
  const before = new Set(readdirSync(reportDir));
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i += 1) {
    await new Promise((r) => setTimeout(r, 20));
    const file = readdirSync(reportDir).find((f) => !before.has(f));
    if (!file) continue;
    try {
      const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8')) as { javascriptHeap: { usedMemory: number } };
      rmSync(join(reportDir, file));
      return report.javascriptHeap.usedMemory / 2 ** 20;
    } catch {
      // Still being written.
    }
  }
  return 0;
}

async function call(client: HttpClient, url: string, token: string, method: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await client.request(method, url, { headers: { authorization: `Bearer ${token}` }, body });
  return { status: answer.status, body: json(answer) };
}

async function token(client: HttpClient, base: string, userId: string): Promise<string> {
  return json<{ token: string }>(await client.request('POST', `${base}/api/dev/token`, { body: { userId } })).token;
}

/** The multipart upload as fetch encodes a FormData, encoded once by fetch's own Response: the same bytes on the wire for every upload. */
async function uploadBody(subjectId: string): Promise<{ contentType: string; bytes: Buffer }> {
  const form = new FormData();
  form.append('metadata', JSON.stringify({ subjectId, sourceUrl: 'https://www.facebook.com/jane.doe/photos/1', capturedAt: '2026-11-25T10:30:00Z', description: 'Benchmark', publiclyVisible: true }));
  form.append('file', new Blob([new Uint8Array(FILE)]), 'capture.png');
  const encoded = new Response(form);
  return { contentType: encoded.headers.get('content-type') ?? '', bytes: Buffer.from(await encoded.arrayBuffer()) };
}

/** A request authorised, claimed, confirmed and being searched: it takes evidence. */
async function searchingRequest(client: HttpClient, base: string): Promise<{ id: string; subjectId: string; aaw: string; osw: string }> {
  const [osw, tm, sd, aaw] = await Promise.all([token(client, base, 'amelia.hart'), token(client, base, 'tom.reid'), token(client, base, 'sarah.mitchell'), token(client, base, 'imran.malik')]);
  const created = await call(client, `${base}/api/requests`, osw, 'POST', REQUEST_FORM);
  const id = created.body.id as string;
  let version = 1;
  for (const [who, action] of [
    [osw, 'submit'],
    [tm, 'agree'],
    [sd, 'authorise'],
    [aaw, 'claim'],
    [aaw, 'confirm-legitimacy'],
  ] as const) {
    const r = await call(client, `${base}/api/requests/${id}/actions/${action}`, who, 'POST', action === 'agree' ? { version, note: SUPERVISION_NOTE } : { version });
    if (r.status !== 200) throw new Error(`${action} failed: ${r.status}`);
    version = r.body.version as number;
  }
  const session = await call(client, `${base}/api/requests/${id}/search-sessions`, aaw, 'POST', { corporateAccount: true });
  if (session.status !== 201) throw new Error(`search session failed: ${session.status}`);
  const subjects = created.body.subjects as { id: string }[] | undefined;
  return { id, subjectId: subjects?.[0]?.id ?? '', aaw, osw };
}

export async function benchMemory(serverUrl: string, seconds = 30, clients = 100): Promise<MemoryResults> {
  const databaseUrl = await createDatabase(serverUrl, 'bench_memory');
  const dataDir = mkdtempSync(join(tmpdir(), 'smc-bench-memory-'));
  const reportDir = mkdtempSync(join(tmpdir(), 'smc-bench-reports-'));
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    NODE_OPTIONS: `--report-on-signal --report-signal=SIGUSR2 --report-directory=${reportDir}`,
  });
  const pid = server.child.pid ?? 0;
  const client = httpClient(clients);
  try {
    const target = await searchingRequest(client, server.url);
    const upload = await uploadBody(target.subjectId);
    for (let i = 0; i < 50; i += 1) await call(client, `${server.url}/api/requests`, target.osw, 'POST', REQUEST_FORM);
    const rssBeforeMiB = MiB(procStatusKb(pid, 'VmRSS'));
    const heapBeforeMiB = await heapUsedMiB(pid, reportDir);
    let heapPeakMiB = heapBeforeMiB;
    let lists = 0;
    let uploads = 0;
    let failed = 0;
    const end = performance.now() + seconds * 1000;
    const sampler = (async () => {
      while (performance.now() < end) {
        await new Promise((r) => setTimeout(r, 1000));
        heapPeakMiB = Math.max(heapPeakMiB, await heapUsedMiB(pid, reportDir));
      }
    })();
    await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        while (performance.now() < end) {
          if (i % 2 === 0) {
            const answer = await client.request('GET', `${server.url}/api/requests`, { headers: { authorization: `Bearer ${target.osw}` } });
            if (answer.status === 200) lists += 1;
            else failed += 1;
          } else {
            const answer = await client.request('POST', `${server.url}/api/requests/${target.id}/evidence`, { headers: { authorization: `Bearer ${target.aaw}`, 'content-type': upload.contentType }, body: upload.bytes });
            if (answer.status === 201) uploads += 1;
            else failed += 1;
          }
        }
      }),
    );
    await sampler;
    return { seconds, clients, lists, uploads, failed, rssBeforeMiB, rssPeakMiB: MiB(procStatusKb(pid, 'VmHWM')), heapBeforeMiB, heapPeakMiB };
  } finally {
    client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(reportDir, { recursive: true, force: true });
  }
}

export function memoryTable(r: MemoryResults): string {
  return [
    '| clients | seconds | lists | uploads (512 KiB) | failed | RSS before | RSS peak | heap before | heap peak (sampled each second) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${r.clients} | ${r.seconds} | ${r.lists} | ${r.uploads} | ${r.failed} | ${r.rssBeforeMiB.toFixed(0)} MiB | ${r.rssPeakMiB.toFixed(0)} MiB | ${r.heapBeforeMiB.toFixed(0)} MiB | ${r.heapPeakMiB.toFixed(0)} MiB |`,
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const server = await startPostgres();
    try {
      console.log(memoryTable(await benchMemory(server.url, Number(process.env.BENCH_MEMORY_SECONDS ?? 30))));
    } catch (error) {
      console.error('benchmark failed:', error);
      process.exitCode = 1;
    } finally {
      await stopPostgres(server);
    }
  })();
}
