/**
 * Record documents SharePoint could not take when they were filed wait in the pending queue like
 * evidence, and the retry that delivers them records where they went. Before, only evidence rows
 * were looked for: a document kept its pending key for good, and every sweep sent it again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type ApiHarness } from '../../support/api-server';
import { startGraphServer, type GraphServer } from '../../support/graph-server';
import { fileRecordDocuments } from '../../../src/app/requests/record-documents';
import type { ConfiguredEvidenceStore } from '../../../src/evidence';
import { recordDocumentWriter } from '../../../src/server/record-documents';
import { PNG_BYTES, searchingRequest, uploadEvidence } from './helpers';

let graph: GraphServer;
let api: ApiHarness;
let caDir: string;

beforeAll(async () => {
  graph = await startGraphServer();
  caDir = mkdtempSync(join(tmpdir(), 'smc-graph-ca-'));
  writeFileSync(join(caDir, 'graph-ca.pem'), graph.ca);
  api = await startApi('PGlite', {
    env: {
      EVIDENCE_STORE: 'sharepoint',
      AZURE_TENANT_ID: graph.tenantId,
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-00000000c11e',
      AZURE_CLIENT_SECRET: 'pending-documents-secret',
      AZURE_AUTHORITY_HOST: graph.authorityHost,
      SHAREPOINT_GRAPH_BASE_URL: graph.graphBaseUrl,
      SHAREPOINT_SITE_ID: 'contoso.sharepoint.com,site-guid,web-guid',
      SHAREPOINT_DRIVE_ID: 'b!evidence-drive',
      SHAREPOINT_CA_FILE: join(caDir, 'graph-ca.pem'),
      // One try per upload: a refusal leaves the item waiting at once.
      SHAREPOINT_MAX_ATTEMPTS: '1',
    },
  });
}, 300_000);

afterAll(async () => {
  await api.close();
  await graph.stop();
  rmSync(caDir, { recursive: true, force: true });
});

/**
 * A request with one evidence item, its log completed and assessed: ready to finalise. `step`
 * takes a further action (POST, with the current version) or saves (PUT) as someone.
 */
async function assessedRequest(assessment: Record<string, unknown>) {
  const { id, subjectId, tokens } = await searchingRequest(api);
  expect((await uploadEvidence(api, tokens.aaw, id, { subjectId }, PNG_BYTES, 'a.png')).status).toBe(201);
  const sessions = await api.call('GET', `/api/requests/${id}/search-sessions`, { token: tokens.aaw });
  const sessionId = (sessions.body as unknown as { id: string }[])[0]?.id ?? '';
  expect((await api.call('POST', `/api/requests/${id}/search-sessions/${sessionId}/end`, { token: tokens.aaw })).status).toBe(200);
  const step = async (token: string, method: string, path: string, body: Record<string, unknown> = {}) => {
    const current = await api.call('GET', `/api/requests/${id}`, { token });
    const r = await api.call(method, `/api/requests/${id}${path}`, { token, body: method === 'POST' ? { version: current.body.version, ...body } : body });
    expect({ path, status: r.status, error: r.body.error }).toEqual({ path, status: 200, error: undefined });
  };
  const subjects = (await api.call('GET', `/api/requests/${id}`, { token: tokens.aaw })).body.subjects ?? [];
  await step(tokens.aaw, 'PUT', '/log', { findings: subjects.map((s) => ({ subjectId: s.id, visibility: 'not_found', summary: 'Nothing public' })) });
  await step(tokens.aaw, 'POST', '/actions/complete-log');
  await step(tokens.osw, 'PUT', '/log', { assessment });
  return { id, tokens, step };
}

test('documents filed while SharePoint was unavailable are recorded as stored when the retry delivers them, and sent once', async () => {
  const { id, tokens, step } = await assessedRequest({ summary: 'Confirms contact', usefulPieces: 1, uniquePieces: 1, contribution: 'some', actionsTaken: 'Plan reviewed' });
  await step(tokens.osw, 'POST', '/actions/finalise');

  // "503 Service Unavailable: The service is temporarily unavailable … Try the request again after a delay." (Microsoft Graph error responses)
  graph.inject({ target: 'simple', kind: 'status', status: 503, times: 2 });
  await api.server.dispatcher.drainOnce();
  const filed = await api.server.store.read.documents.listForRequest(id);
  expect(filed.map((d) => [d.kind, d.storageKey.split(':')[0], d.webUrl])).toEqual([
    ['investigation_log', 'pending', null],
    ['investigation_request', 'pending', null],
  ]);

  const admin = await api.token('nina.shaw');
  const waiting = async () => (await api.call('GET', '/api/admin/operations', { token: admin })).body.pendingUploads as { storageKey: string }[];
  const pending = await waiting();
  expect(pending.map((p) => p.storageKey).sort()).toEqual(filed.map((d) => d.storageKey).sort());
  for (const { storageKey } of pending) expect((await api.call('POST', `/api/admin/uploads/${encodeURIComponent(storageKey)}/retry`, { token: admin })).status).toBe(202);
  for (let i = 0; i < 200 && (await waiting()).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await waiting()).toEqual([]);

  const stored = await api.server.store.read.documents.listForRequest(id);
  expect(stored.map((d) => [d.kind, d.storageKey.split(':')[0], typeof d.webUrl])).toEqual([
    ['investigation_log', 'sharepoint', 'string'],
    ['investigation_request', 'sharepoint', 'string'],
  ]);
  for (const document of stored) expect(graph.items.has(document.storageKey.slice('sharepoint:'.length))).toBe(true);
  // Evidence once, each document refused once and then sent once.
  expect(graph.callsTo('simple').map((c) => c.status)).toEqual([201, 503, 503, 201, 201]);
  const content = await fetch(`${api.url}/api/requests/${id}/documents/${stored[0]?.id ?? ''}/content`, { headers: { authorization: `Bearer ${tokens.osw}` } });
  expect(content.status).toBe(200);
});

test('an occasion is filed once: a redelivered filing, or two at once, leave two documents in the library, not four', async () => {
  const { id, tokens, step } = await assessedRequest({ summary: 'Adds little', usefulPieces: 0, uniquePieces: 0, contribution: 'little', actionsTaken: 'None' });
  const reference = ((await api.call('GET', `/api/requests/${id}`, { token: tokens.osw })).body.reference as string);
  const documentsInLibrary = () => [...graph.items.values()].filter((item) => item.name.startsWith(`${reference}-investigation-`));
  const deps = api.server.deps;
  const writer = recordDocumentWriter(deps.evidence as ConfiguredEvidenceStore);
  // Two deliveries of the same filing at once (a retry overlapping a late first attempt).
  await step(tokens.osw, 'POST', '/actions/finalise');
  const [first, second] = await Promise.all([fileRecordDocuments(deps, writer, id, 'finalise'), fileRecordDocuments(deps, writer, id, 'finalise')]);
  expect(first?.map((d) => d.storageKey).sort()).toEqual(second?.map((d) => d.storageKey).sort());
  // And the outbox's own delivery of it afterwards.
  await api.server.dispatcher.drainOnce();
  await fileRecordDocuments(deps, writer, id, 'finalise');

  const rows = await api.server.store.read.documents.listForRequest(id);
  expect(rows.map((d) => d.kind).sort()).toEqual(['investigation_log', 'investigation_request']);
  expect(documentsInLibrary().map((item) => `sharepoint:${item.id}`).sort()).toEqual(rows.map((d) => d.storageKey).sort());
});

