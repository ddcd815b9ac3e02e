/**
 * Two server instances on one PostgreSQL database, as App Service runs them (at least two), behind
 * a round-robin proxy standing in for its front end: started at the same moment on an empty
 * database, the whole walk-through alternating between them, and every notification and reminder
 * handled exactly once. (Pending evidence claimed by one of two instances: pending-queue.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { OutboxMessage } from '../../../src/app/ports';
import { sendDueReminders } from '../../../src/app/requests/send-reminders';
import { createDispatcher } from '../../../src/notify/dispatcher';
import { buildServer, type BuiltServer } from '../../../src/main/server';
import { loadConfig, type ServerConfig } from '../../../src/server/config';
import { migrations } from '../../../src/store/migrations';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { PNG_BYTES, requestBody } from '../api/helpers';

/** Forwards each request to the next instance in turn, and remembers which one answered. */
function roundRobin(targets: string[]): Promise<{ url: string; served: number[]; server: Server }> {
  let next = 0;
  const served: number[] = [];
  const server = createServer((req, res) => {
    const index = next;
    next = (next + 1) % targets.length;
    served.push(index);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection') headers.set(name, value);
      }
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      fetch(`${targets[index]}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) })
        .then(async (response) => {
          const answer = Buffer.from(await response.arrayBuffer());
          res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(answer);
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, server })));
}

describe('two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  let config: ServerConfig;
  let instances: BuiltServer[];
  let proxy: Awaited<ReturnType<typeof roundRobin>>;

  beforeAll(async () => {
    database = await freshDatabase('PostgreSQL');
    // One data directory stands in for the settings both instances share (the local signing key).
    dataDir = mkdtempSync(join(tmpdir(), 'smc-two-'));
    config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: (database.env as { DATABASE_URL: string }).DATABASE_URL });
    // Started at the same moment on an empty database: both migrate, under the advisory lock.
    instances = await Promise.all([buildServer(config, { dispatch: false }), buildServer(config, { dispatch: false })]);
    const urls = await Promise.all(instances.map((i) => i.app.listen({ port: 0, host: '127.0.0.1' })));
    proxy = await roundRobin(urls);
  });

  afterAll(async () => {
    proxy.server.close();
    for (const instance of instances) await instance.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${proxy.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { version?: number; state?: string; id?: string } };
  };

  test('both started on the empty database, and each migration ran once', async () => {
    const client = new pg.Client({ connectionString: (database.env as { DATABASE_URL: string }).DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    } finally {
      await client.end();
    }
    for (const path of ['/api/health', '/api/health/ready', '/api/health', '/api/health/ready']) expect((await call('GET', path)).status).toBe(200);
  });

  test('the walk-through alternating instances; each notification and each reminder handled once', async () => {
    const token = async (userId: string) => (await call('POST', '/api/dev/token', undefined, { userId })).body.token as string;
    const [osw, tm, sd, aaw] = [await token('amelia.hart'), await token('tom.reid'), await token('sarah.mitchell'), await token('hannah.cole')];
    const created = await call('POST', '/api/requests', osw, requestBody());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const subjectId = (created.body.subjects as { id: string }[])[0]?.id ?? '';
    const act = async (who: string, action: string, extra: Record<string, unknown> = {}) => {
      const current = await call('GET', `/api/requests/${id}`, who);
      const done = await call('POST', `/api/requests/${id}/actions/${action}`, who, { version: current.body.version, ...extra });
      expect({ action, status: done.status }).toEqual({ action, status: 200 });
      return done.body.state;
    };
    expect(await act(osw, 'submit')).toBe('awaiting_team_manager');
    expect(await act(tm, 'agree', { note: 'Discussed in supervision' })).toBe('awaiting_service_director');
    expect(await act(sd, 'authorise', { subjectIds: [subjectId] })).toBe('authorised');
    expect(await act(aaw, 'claim')).toBe('assigned');
    expect(await act(aaw, 'confirm-legitimacy')).toBe('searching');
    const session = await call('POST', `/api/requests/${id}/search-sessions`, aaw, { corporateAccount: true });
    expect(session.status).toBe(201);
    const form = new FormData();
    form.append('metadata', JSON.stringify({ subjectId, sourceUrl: 'https://www.facebook.com/jane.doe/photos/1', capturedAt: '2026-11-25T10:30:00Z', description: 'Photograph', publiclyVisible: true }));
    form.append('file', new Blob([new Uint8Array(PNG_BYTES)]), 'screenshot.png');
    const upload = await fetch(`${proxy.url}/api/requests/${id}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${aaw}` }, body: form });
    expect(upload.status).toBe(201);
    expect((await call('POST', `/api/requests/${id}/search-sessions/${session.body.id as string}/end`, aaw)).status).toBe(200);
    const log = await call('PUT', `/api/requests/${id}/log`, aaw, { findings: [{ subjectId, visibility: 'public', profileUrl: 'https://www.facebook.com/jane.doe', summary: 'Public photographs' }], furtherPersons: [], accessWorkerComments: 'Corporate account' });
    expect(log.status).toBe(200);
    expect(await act(aaw, 'complete-log')).toBe('with_originating_worker');
    const assessed = await call('PUT', `/api/requests/${id}/log`, osw, { assessment: { summary: 'Confirms contact', usefulPieces: 1, uniquePieces: 1, contribution: 'some', actionsTaken: 'Plan reviewed' } });
    expect(assessed.status).toBe(200);
    expect(await act(osw, 'finalise')).toBe('finalised');
    expect(await act(osw, 'share')).toBe('shared');
    // The proxy really did alternate: both instances answered about half of the calls.
    expect(proxy.served.filter((i) => i === 0).length).toBeGreaterThan(proxy.served.length / 3);
    expect(proxy.served.filter((i) => i === 1).length).toBeGreaterThan(proxy.served.length / 3);

    // Both instances' reminder sweeps run at the same moment, long after sharing, twice over.
    const later = { now: () => new Date(Date.now() + 400 * 86_400_000) };
    for (let round = 0; round < 2; round += 1) {
      await Promise.all(instances.map((i) => sendDueReminders({ ...i.deps, clock: later }, config.reminders)));
    }
    const owed = await instances[0]!.store.read.outbox.listForRequest(id);
    const reminders = owed.filter((m) => typeof m.payload.reminderKey === 'string');
    expect(reminders.length).toBeGreaterThan(0);
    const reminderKeys = reminders.map((m) => `${m.kind}|${m.recipientId ?? ''}|${String(m.payload.reminderKey)}`);
    expect(new Set(reminderKeys).size).toBe(reminderKeys.length);

    // Both instances' dispatchers drain the same outbox at the same moment.
    const deliveries = new Map<string, number>();
    const sender = { deliver: async (message: OutboxMessage) => { deliveries.set(message.id, (deliveries.get(message.id) ?? 0) + 1); return { status: 'sent' as const }; } };
    const dispatchers = instances.map((i) => createDispatcher({ queue: i.store.outboxQueue, sender, clock: later, batchSize: 3 }));
    for (let round = 0; round < 3; round += 1) await Promise.all(dispatchers.map((d) => d.drainOnce()));
    const all = await instances[1]!.store.read.outbox.listForRequest(id);
    expect(all.length).toBeGreaterThan(reminders.length);
    expect(all.map((m) => [m.id, m.status, deliveries.get(m.id)])).toEqual(all.map((m) => [m.id, 'sent', 1]));
  });
});
