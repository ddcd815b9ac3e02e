/**
 * Every route names each field it answers (issue 11 item 4): no response schema in the route table
 * leaves an object open to fields it does not list, or a value untyped, except where the protocol
 * itself is open — the OpenAPI document, an Adaptive Card — and an audit entry's detail, whose
 * fields differ by action (its presenter takes out where files are kept).
 */
import { z } from 'zod';
import { API_ROUTES } from '../../../src/server/api-contract';
import { isFileAnswer, type RouteContract } from '../../../src/server/api-route';

type Json = Record<string, unknown>;

/** Where a JSON answer may hold fields or values its schema does not list: JSON Schema paths. */
function openings(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
  const found: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const s = node as Json;
    const keys = Object.keys(s).filter((k) => k !== '$schema' && k !== 'description');
    if (keys.length === 0) found.push(path || '/');
    if (s.type === 'object' && s.additionalProperties !== false && (s.additionalProperties === undefined || s.additionalProperties === true || Object.keys(s.additionalProperties as Json).length === 0)) {
      found.push(`${path}/additionalProperties`);
    }
    for (const [key, value] of Object.entries(s)) {
      if (key === 'properties') for (const [name, property] of Object.entries(value as Json)) walk(property, `${path}/properties/${name}`);
      else if (key === 'items') walk(value, `${path}/items`);
      // An empty additionalProperties is reported above, as the object's opening.
      else if (key === 'additionalProperties' && typeof value === 'object' && Object.keys(value as Json).length > 0) walk(value, `${path}/additionalProperties`);
      else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') (value as unknown[]).forEach((option, i) => walk(option, `${path}/${key}/${i}`));
    }
  };
  walk(json, '');
  return found;
}

/** Open on purpose, each for the reason in the header. */
const OPEN_BY_PROTOCOL: Record<string, string[]> = {
  'GET /api/requests/{id}/audit': ['/items/properties/detail/anyOf/0/additionalProperties'],
  'POST /api/messages': ['/anyOf/0/properties/value/additionalProperties'],
};
const OPEN_DOCUMENT = 'GET /api/openapi.json';

const jsonRoutes = API_ROUTES.filter((r): r is RouteContract & { response: z.ZodType } => r.response !== null && !isFileAnswer(r.response));
const name = (r: RouteContract) => `${r.method} ${r.path}`;

test('the check finds an open object, an untyped value and an open record, and passes a closed schema', () => {
  expect(openings(z.looseObject({}))).toEqual(['/additionalProperties']);
  expect(openings(z.object({ a: z.unknown() }))).toEqual(['/properties/a']);
  expect(openings(z.array(z.object({ a: z.record(z.string(), z.unknown()) })))).toEqual(['/items/properties/a/additionalProperties']);
  expect(openings(z.object({ a: z.array(z.strictObject({ b: z.string().nullable() })), c: z.record(z.string(), z.string()) }))).toEqual([]);
});

test('no route but the OpenAPI document answers with an open schema', () => {
  const open = jsonRoutes.filter((r) => name(r) !== OPEN_DOCUMENT).map((r) => ({ route: name(r), open: openings(r.response) }));
  expect(open.filter((r) => r.open.length > 0)).toEqual(Object.entries(OPEN_BY_PROTOCOL).map(([route, paths]) => ({ route, open: paths })));
  expect(jsonRoutes.length).toBeGreaterThan(35);
});

test('the OpenAPI document is typed at its top level', () => {
  const document = jsonRoutes.find((r) => name(r) === OPEN_DOCUMENT);
  const json = z.toJSONSchema(document?.response ?? z.never(), { io: 'output' }) as { required?: string[] };
  expect(json.required).toEqual(expect.arrayContaining(['openapi', 'info', 'paths']));
});
