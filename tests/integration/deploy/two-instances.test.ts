/**
 * Two server instances on one PostgreSQL database, as App Service runs them (at least two), behind
 * a round-robin proxy standing in for its front end: started at the same moment on an empty
 * database, the whole walk-through alternating between them, evidence SharePoint first refused
 * retried by both at the same moment and delivered once, every notification and reminder handled
 * exactly once, and the audit chain both instances' sequencers linked intact.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { OutboxMessage } from '../../../src/app/ports';
import { sendDueReminders } from '../../../src/app/requests/send-reminders';
import { verifyAuditChain } from '../../../src/audit/verify';
import { createDispatcher } from '../../../src/notify/dispatcher';
import { buildServer, type BuiltServer } from '../../../src/main/server';
import { loadConfig, type ServerConfig } from '../../../src/server/config';
import { migrations } from '../../../src/store/migrations';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { startGraphServer, type GraphServer } from '../../support/graph-server';
import { PNG_BYTES, requestBody } from '../api/helpers';
import { withSupervisionNote } from '../../support/action-body';

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
  let graph: GraphServer;
  let urls: string[];

  beforeAll(async () => {
    database = await freshDatabase('PostgreSQL', { empty: true });
    graph = await startGraphServer();
    // One data directory stands in for the settings both instances share (the local signing key).
    dataDir = mkdtempSync(join(tmpdir(), 'smc-two-'));
    writeFileSync(join(dataDir, 'graph-ca.pem'), graph.ca);
    config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: (database.env as { DATABASE_URL: string }).DATABASE_URL,
      // Evidence goes to SharePoint (the Graph stand-in), so that what waits for it is shared.
      EVIDENCE_STORE: 'sharepoint',
      AZURE_TENANT_ID: graph.tenantId,
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-00000000c11e',
      AZURE_CLIENT_SECRET: 'two-instances-secret',
      AZURE_AUTHORITY_HOST: graph.authorityHost,
      SHAREPOINT_GRAPH_BASE_URL: graph.graphBaseUrl,
      SHAREPOINT_SITE_ID: 'contoso.sharepoint.com,site-guid,web-guid',
      SHAREPOINT_DRIVE_ID: 'b!evidence-drive',
      SHAREPOINT_CA_FILE: join(dataDir, 'graph-ca.pem'),
      // One try per upload: a refusal leaves the item waiting at once.
      SHAREPOINT_MAX_ATTEMPTS: '1',
    });
    // Started at the same moment on an empty database: both migrate, under the advisory lock.
    instances = await Promise.all([buildServer(config, { dispatch: false }), buildServer(config, { dispatch: false })]);
    urls = await Promise.all(instances.map((i) => i.app.listen({ port: 0, host: '127.0.0.1' })));
    proxy = await roundRobin(urls);
  });

  afterAll(async () => {
    proxy.server.close();
    for (const instance of instances) await instance.close();
    await graph.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, token?: string, body?: unknown, base = proxy.url) => {
    const response = await fetch(`${base}${path}`, {
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

  test('the walk-through alternating instances; a pending upload retried once; each notification and each reminder handled once; the chain intact', async () => {
    const token = async (userId: string) => (await call('POST', '/api/dev/token', undefined, { userId })).body.token as string;
    const [osw, tm, sd, aaw, admin] = [await token('amelia.hart'), await token('tom.reid'), await token('sarah.mitchell'), await token('hannah.cole'), await token('nina.shaw')];
    const created = await call('POST', '/api/requests', osw, requestBody());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const subjects = created.body.subjects as { id: string }[];
    const subjectId = subjects[0]?.id ?? '';
    const edited = await call('PUT', `/api/requests/${id}`, osw, { ...requestBody(), subjects, version: 1, concernDetails: 'Updated details' });
    expect(edited.body).toMatchObject({ version: 2, concernDetails: 'Updated details' });
    const act = async (who: string, action: string, extra: Record<string, unknown> = {}) => {
      const current = await call('GET', `/api/requests/${id}`, who);
      const done = await call('POST', `/api/requests/${id}/actions/${action}`, who, { version: current.body.version, ...withSupervisionNote(action, extra) });
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
    // SharePoint is unavailable for the upload: the evidence is kept in PostgreSQL, waiting.
    // "503 Service Unavailable: The service is temporarily unavailable … Try the request again after a delay." (Microsoft Graph error responses)
    graph.inject({ target: 'simple', kind: 'status', status: 503 });
    const upload = await fetch(`${proxy.url}/api/requests/${id}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${aaw}` }, body: form });
    expect(upload.status).toBe(201);
    const evidence = (await upload.json()) as { id: string; uploadStatus: string };
    expect(evidence.uploadStatus).toBe('upload_pending');
    const waiting = await call('GET', '/api/admin/operations', admin);
    const pendingUploads = waiting.body.pendingUploads as { storageKey: string }[];
    expect(pendingUploads).toHaveLength(1);
    // Retried by both instances at the same moment (each asked directly, not through the proxy): SharePoint gets it once.
    const key = encodeURIComponent(pendingUploads[0]?.storageKey ?? '');
    const retried = await Promise.all(urls.map((url) => call('POST', `/api/admin/uploads/${key}/retry`, admin, undefined, url)));
    expect(retried.map((r) => r.status)).toEqual([202, 202]);
    for (let i = 0; i < 200 && ((await call('GET', '/api/admin/operations', admin)).body.pendingUploads as unknown[]).length > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect((await call('GET', '/api/admin/operations', admin)).body.pendingUploads).toEqual([]);
    expect(graph.callsTo('simple').map((c) => c.status)).toEqual([503, 201]);
    const listed = await call('GET', `/api/requests/${id}/evidence`, aaw);
    expect(listed.body).toEqual([expect.objectContaining({ id: evidence.id, uploadStatus: 'stored' })]);
    for (const url of urls) {
      const content = await fetch(`${url}/api/requests/${id}/evidence/${evidence.id}/content`, { headers: { authorization: `Bearer ${sd}` } });
      expect(createHash('sha256').update(Buffer.from(await content.arrayBuffer())).digest('hex')).toBe(createHash('sha256').update(PNG_BYTES).digest('hex'));
    }
    expect((await call('POST', `/api/requests/${id}/search-sessions/${session.body.id as string}/end`, aaw)).status).toBe(200);
    const log = await call('PUT', `/api/requests/${id}/log`, aaw, { findings: [{ subjectId, visibility: 'public', profileUrl: 'https://www.facebook.com/jane.doe', summary: 'Public photographs' }], furtherPersons: [], accessWorkerComments: 'Corporate account' });
    expect(log.status).toBe(200);
    expect(await act(aaw, 'complete-log')).toBe('with_originating_worker');
    const assessed = await call('PUT', `/api/requests/${id}/log`, osw, { assessment: { summary: 'Confirms contact', usefulPieces: 1, uniquePieces: 1, contribution: 'some', actionsTaken: 'Plan reviewed' } });
    expect(assessed.status).toBe(200);
    expect(await act(osw, 'finalise')).toBe('finalised');
    expect(await act(osw, 'share')).toBe('shared');
    const feedback = await call('PUT', `/api/requests/${id}/feedback`, osw, { usefulPieces: 1, uniquePieces: 1, contribution: 'some' });
    expect(feedback.status).toBe(200);
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

    // Both instances' sequencers linked the entries, one at a time: the chain is whole.
    let chain = await verifyAuditChain(instances[0]!.store.db);
    for (let i = 0; i < 100 && chain.unlinked > 0; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      chain = await verifyAuditChain(instances[0]!.store.db);
    }
    expect(chain).toMatchObject({ ok: true, unlinked: 0 });
    const timeline = (await call('GET', `/api/requests/${id}/audit`, osw)).body as unknown as { action: string }[];
    expect(timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'edit_draft', 'add_evidence', 'evidence_uploaded', 'share', 'save_feedback']));
  });
});
