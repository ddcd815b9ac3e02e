/**
 * Card decisions: `adaptiveCard/action` invokes posted to /api/messages by 100 concurrent clients
 * against a real PostgreSQL server, each answered with its refreshed card. Each request is agreed
 * by its team manager and authorised by the service director from their cards, as in Teams.
 * Requests are created and submitted beforehand, outside the measurement.
 * Run alone: npx tsx bench/card-decisions.ts [requests]
 */
import { DEFAULT_PROTOCOL_SETTINGS } from '../src/domain/protocol';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createTeamsBot } from '../bot';
import { systemClock, type AppDeps } from '../src/app/deps';
import { createRequest } from '../src/app/requests/create-request';
import { takeAction } from '../src/app/requests/take-action';
import type { Person } from '../src/domain/roles';
import { LocalDiskEvidenceStore } from '../src/evidence/local-disk';
import { DEMO_PEOPLE } from '../src/identity/demo-directory';
import { createConversationStore, createStore } from '../src/store';
import { startPostgres, stopPostgres } from '../tests/support/postgres';
import { REQUEST_FORM, SUPERVISION_NOTE } from './decisions';
import { httpClient, json } from './http-client';
import { pool, stats, warmUp, type LatencyStats } from './support';

const CONCURRENCY = 100;

const FORM = { ...REQUEST_FORM, caseReference: 'CM-BENCH-CARD' };

function person(id: string): Person {
  const found = DEMO_PEOPLE.find((p) => p.id === id);
  if (!found) throw new Error(`no demo person ${id}`);
  return found;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Measures card decisions against the database at `databaseUrl` (migrated by the store). */
export async function benchCardDecisions(databaseUrl: string, requests: number): Promise<LatencyStats> {
  const store = await createStore({ databaseUrl, dataDir: ':memory:', poolSize: CONCURRENCY });
  const evidenceDir = mkdtempSync(join(tmpdir(), 'smc-bench-cards-'));
  const deps: AppDeps = { store, directory: store.read.directory, evidence: new LocalDiskEvidenceStore(evidenceDir), clock: systemClock, settings: { workflow: { authorisationValidDays: 28 }, protocol: DEFAULT_PROTOCOL_SETTINGS, maxEvidenceBytes: 1_000_000 } };
  for (const p of DEMO_PEOPLE) await store.people.upsert(p);
  const bot = createTeamsBot({ deps, conversations: createConversationStore(store.db), tabUrl: 'http://localhost:3978/', allowUnauthenticatedLoopback: true });
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const reply = await bot.handleActivity({ headers: req.headers, body, remoteAddress: req.socket.remoteAddress ?? '' });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body ?? null));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;

  const osw = person('amelia.hart');
  const tm = person('tom.reid');
  const sd = person('sarah.mitchell');
  const made: { id: string; subjectId: string }[] = [];
  // One more request per client, decided untimed first (warmUp).
  await pool(Array.from({ length: requests + CONCURRENCY }, (_, i) => i), 20, async (i) => {
    const caller = { person: osw, requestId: `bench-${i}` };
    const draft = await createRequest(deps, caller, FORM);
    await takeAction(deps, caller, draft.id, 'submit', { version: 1 });
    made.push({ id: draft.id, subjectId: draft.subjects[0]?.id ?? '' });
  });

  const client = httpClient(CONCURRENCY);
  const invoke = async (who: Person, verb: string, data: Record<string, unknown>): Promise<void> => {
    const activity = {
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `bench-${performance.now()}`,
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/',
      from: { id: `29:${who.aadObjectId}`, aadObjectId: who.aadObjectId, name: who.displayName },
      recipient: { id: '28:bench-bot', name: 'Social Media Checks' },
      conversation: { id: `a:bench-${who.id}`, conversationType: 'personal', tenantId: 'bench' },
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    };
    const answer = await client.request('POST', url, { body: activity });
    const reply = json<{ statusCode?: number; type?: string; value?: unknown }>(answer);
    // A refusal would also come back as a card; only a card without a notice is a decision taken.
    if (answer.status !== 200 || reply.type !== 'application/vnd.microsoft.card.adaptive' || JSON.stringify(reply.value).includes('Not done')) {
      throw new Error(`${verb} was not taken: ${answer.status} ${JSON.stringify(reply).slice(0, 300)}`);
    }
  };

  const latencies: number[] = [];
  const decide = async ({ id, subjectId }: { id: string; subjectId: string }, took: (ms: number) => void = () => undefined) => {
    let t0 = performance.now();
    await invoke(tm, 'agree', { requestId: id, version: 2, note: SUPERVISION_NOTE });
    took(performance.now() - t0);
    t0 = performance.now();
    await invoke(sd, 'authorise', { requestId: id, version: 3, subjectIds: subjectId, accessWorkerId: 'register', conditions: '' });
    took(performance.now() - t0);
  };
  try {
    const warming = made.splice(0, CONCURRENCY);
    await warmUp(CONCURRENCY, async () => decide(warming.pop() as { id: string; subjectId: string }));
    const started = performance.now();
    await pool(made, CONCURRENCY, async (request) => decide(request, (ms) => latencies.push(ms)));
    return stats(latencies, (performance.now() - started) / 1000);
  } finally {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    rmSync(evidenceDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void (async () => {
    const server = await startPostgres();
    try {
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query('CREATE DATABASE bench_cards');
      await admin.end();
      const url = new URL(server.url);
      url.pathname = '/bench_cards';
      console.log(JSON.stringify(await benchCardDecisions(url.toString(), Number(process.argv[2] ?? 1000)), null, 2));
    } finally {
      await stopPostgres(server);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
