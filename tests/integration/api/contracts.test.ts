/**
 * Presenters at the edge (issue 11 item 4): whatever a request's records hold inside the server,
 * the request and evidence routes answer only the fields of their response schemas, and never
 * where a file is kept (`storageKey`) nor a database column. Every answer here is also checked
 * against its route's schema by the server itself (checkResponses, on in the test harness).
 */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES, searchingRequest, uploadEvidence } from './helpers';
import { evidenceItemSchema, recordDocumentSchema } from '../../../src/contracts/records';

/** Every object key at any depth of a JSON answer. */
function keys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keys);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => [key, ...keys(v)]);
}

describe.each(BACKENDS)('what the request routes answer, on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(backend);
  }, 180_000);
  afterAll(async () => api.close());

  test('every route the server registers under /api is in the OpenAPI document, with its answer', async () => {
    const doc = (await api.call('GET', '/api/openapi.json')).body as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const registered = api.server.routes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
    expect(registered.length).toBeGreaterThan(40);
    const missing = registered.filter((r) => Object.keys(doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()]?.responses ?? {}).length === 0);
    expect(missing).toEqual([]);
  });

  test('no answer of the request and evidence routes carries storageKey or a database column, even after evidence and filed documents', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const uploaded = await uploadEvidence(api, tokens.aaw, id, { subjectId }, PNG_BYTES, 'photo.png');
    expect(uploaded.status).toBe(201);
    // A doubt resolved by cancelling, after evidence was captured, files the request and log as they stand.
    const [sm, director] = [await api.token('grace.lee'), await api.token('robert.hale')];
    let version = (await api.call('GET', `/api/requests/${id}`, { token: tokens.aaw })).body.version as number;
    for (const [token, action, reason] of [
      [tokens.aaw, 'raise-doubt', 'The address does not match'],
      [sm, 'record-doubt-view', 'Stop: this is not the right family'],
      [director, 'resolve-doubt', 'Cancelled on the service manager’s advice'],
    ] as const) {
      const r = await api.call('POST', `/api/requests/${id}/actions/${action}`, { token, body: { version, reason, ...(action === 'resolve-doubt' ? { outcome: 'cancel' } : {}) } });
      expect({ action, status: r.status }).toEqual({ action, status: 200 });
      version = r.body.version as number;
    }
    await api.server.dispatcher.drainOnce();

    const evidence = (await api.call('GET', `/api/requests/${id}/evidence`, { token: tokens.osw })).body as unknown as Record<string, unknown>[];
    expect(evidence).toHaveLength(1);
    expect(Object.keys(evidence[0] ?? {}).sort()).toEqual(Object.keys(evidenceItemSchema.shape).sort());
    const documents = (await api.call('GET', `/api/requests/${id}/documents`, { token: tokens.osw })).body as unknown as Record<string, unknown>[];
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) expect(Object.keys(document).sort()).toEqual(Object.keys(recordDocumentSchema.shape).sort());
    const audit = (await api.call('GET', `/api/requests/${id}/audit`, { token: tokens.osw })).body as unknown as { action: string; detail: unknown }[];
    // The server's own records do name where files are: the answer leaves it out.
    const stored = await api.server.store.db.selectFrom('audit_entries').select('detail').where('request_id', '=', id).execute();
    expect(JSON.stringify(stored)).toContain('storageKey');

    const answers: unknown[] = [uploaded.body, evidence, documents, audit];
    for (const path of ['', '/search-sessions', '/notifications']) answers.push((await api.call('GET', `/api/requests/${id}${path}`, { token: tokens.osw })).body);
    answers.push((await api.call('GET', '/api/requests?mine=true', { token: tokens.osw })).body);
    answers.push((await api.call('POST', `/api/requests/${id}/evidence/${uploaded.body.id ?? ''}/links`, { token: tokens.osw, body: {} })).body);
    for (const answer of answers) {
      expect(JSON.stringify(answer)).not.toMatch(/storage_?key/i);
      // Database columns are snake_case; the API's fields never are (enum values may be).
      expect(keys(answer).filter((key) => key.includes('_'))).toEqual([]);
    }
  });
});
