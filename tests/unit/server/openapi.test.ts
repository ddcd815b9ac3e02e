/**
 * The OpenAPI document is generated from the route table (issue 11 item 4), and is a well-formed
 * OpenAPI 3.0 document: every operation answers, every path parameter is declared, every
 * reference resolves, and every JSON answer has a schema.
 */
import { API_ROUTES } from '../../../src/server/api-contract';
import { openApiDocument } from '../../../src/server/openapi';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const doc = openApiDocument(API_ROUTES) as unknown as { openapi: string; info: Json; paths: Record<string, Record<string, Json>>; components: { schemas: Json; securitySchemes: Json }; security: unknown[] };

function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [v] : refs(v)));
}

test('the document has the OpenAPI 3.0 top level', () => {
  expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
  expect(doc.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
  expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer']);
  for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/api\//);
});

test('every route of the table is an operation, with its success answer and its errors', () => {
  for (const route of API_ROUTES) {
    const operation = doc.paths[route.path]?.[route.method.toLowerCase()] as { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> } | undefined;
    expect({ route: `${route.method} ${route.path}`, found: operation !== undefined }).toEqual({ route: `${route.method} ${route.path}`, found: true });
    const answer = operation?.responses[String(route.status)];
    expect(answer).toBeDefined();
    if (route.response !== null) expect(Object.values(answer?.content ?? {}).every((c) => c.schema !== undefined)).toBe(true);
    for (const status of route.errors) expect(operation?.responses[String(status)]).toBeDefined();
  }
  expect(Object.values(doc.paths).flatMap((item) => Object.keys(item))).toHaveLength(API_ROUTES.length);
});

test('each operation is well formed: known methods, path parameters declared and required, references resolved', () => {
  for (const [path, item] of Object.entries(doc.paths)) {
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, operation] of Object.entries(item)) {
      expect(METHODS).toContain(method);
      const parameters = (operation.parameters ?? []) as { name: string; in: string; required?: boolean; schema?: unknown }[];
      for (const p of parameters) {
        expect(['path', 'query', 'header', 'cookie']).toContain(p.in);
        expect(p.schema).toBeDefined();
      }
      expect(parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.required])).toEqual(inPath.map((name) => [name, true]));
      expect(Object.keys(operation.responses as Json).every((status) => /^[1-5]\d\d$/.test(status))).toBe(true);
    }
  }
  for (const ref of refs(doc)) {
    expect(ref).toMatch(/^#\/components\/schemas\//);
    expect(doc.components.schemas).toHaveProperty([ref.slice('#/components/schemas/'.length)]);
  }
});

test('the /documents routes and the evidence upload are described with their bodies and answers', () => {
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/requests/{id}/documents', '/api/requests/{id}/documents/{did}/links', '/api/requests/{id}/documents/{did}/content']));
  const documents = doc.paths['/api/requests/{id}/documents']?.get as { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
  expect(documents.responses['200']?.content['application/json']?.schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/RecordDocument' } });
  const upload = doc.paths['/api/requests/{id}/evidence']?.post as { requestBody: { content: Record<string, { schema: { required: string[] } }> } };
  expect(upload.requestBody.content['multipart/form-data']?.schema.required).toEqual(['metadata', 'file']);
  // Where a file is kept is never part of an answer.
  expect(JSON.stringify(doc.components.schemas.EvidenceItem)).not.toContain('storageKey');
});

test('every operation documents the errors any route can answer (issue 13): 400, 429 with Retry-After, 431, 500, and 413 and 415 where it takes a body', () => {
  for (const route of API_ROUTES) {
    const responses = (doc.paths[route.path]?.[route.method.toLowerCase()] as { responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }> }).responses;
    const expected = ['400', '429', '431', '500', ...(route.body || route.multipart ? ['413', '415'] : [])];
    for (const status of expected) expect([route.path, status, Object.keys(responses[status]?.content ?? {})]).toEqual([route.path, status, ['application/json']]);
    expect([route.path, Object.keys(responses['429']?.headers ?? {})]).toEqual([route.path, ['Retry-After']]);
  }
});
