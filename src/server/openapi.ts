/**
 * The OpenAPI document, generated from the route table (api-contract.ts): the same zod schemas
 * that parse what each route takes and check what it answers.
 */
import { z } from 'zod';
import type { OpenApiDocument } from '../contracts/host';
import { evidenceItemSchema, recordDocumentSchema, searchSessionSchema } from '../contracts/records';
import { requestPageSchema, requestViewSchema } from '../contracts/requests';
import { actionBodySchemas, draftRequestSchema, investigationRequestSchema } from '../domain/forms';
import { isFileAnswer, type RouteContract } from './api-route';

type JsonSchema = Record<string, unknown>;

const toJson = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as JsonSchema;
  return json;
};

/** Schemas the document names once and refers to, by the names clients already know. */
const NAMED: readonly [string, z.ZodType, 'input' | 'output'][] = [
  ['InvestigationRequest', requestViewSchema, 'output'],
  ['RequestPage', requestPageSchema, 'output'],
  ['EvidenceItem', evidenceItemSchema, 'output'],
  ['RecordDocument', recordDocumentSchema, 'output'],
  ['SearchSession', searchSessionSchema, 'output'],
  ['InvestigationRequestInput', investigationRequestSchema, 'input'],
  /** What POST and PUT accept: a draft may leave answers out; `submit` needs InvestigationRequestInput complete. */
  ['DraftRequestInput', draftRequestSchema, 'input'],
  ...Object.entries(actionBodySchemas).map(([name, schema]) => [`Action_${name}`, schema, 'input'] as [string, z.ZodType, 'input']),
];

const ERROR: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'What is wrong with each field, by its path' },
        rule: { type: 'string', description: 'The protocol rule a refusal names' },
      },
    },
  },
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const named = NAMED.find(([, s, side]) => s === schema && side === io);
  if (named) return { $ref: `#/components/schemas/${named[0]}` };
  if (schema instanceof z.ZodArray) {
    const element = schema.element as z.ZodType;
    if (NAMED.some(([, s, side]) => s === element && side === io)) return { type: 'array', items: schemaOf(element, io) };
  }
  if (schema instanceof z.ZodUnion && (schema.options as z.ZodType[]).every((o) => NAMED.some(([, s]) => s === o))) {
    return { oneOf: (schema.options as z.ZodType[]).map((o) => schemaOf(o, io)) };
  }
  return toJson(schema, io);
}

/** The properties of an object schema's input, also of an intersection of objects. */
function propertiesOf(json: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const parts = Array.isArray(json.allOf) ? (json.allOf as JsonSchema[]) : [json];
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const part of parts) {
    Object.assign(properties, (part.properties as Record<string, JsonSchema> | undefined) ?? {});
    required.push(...((part.required as string[] | undefined) ?? []));
  }
  return { properties, required };
}

function parameters(route: RouteContract): JsonSchema[] {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const path = route.params ? propertiesOf(toJson(route.params, 'input')).properties : {};
  const query = route.query ? propertiesOf(toJson(route.query, 'input')) : { properties: {}, required: [] };
  return [
    ...names.map((name) => ({ name, in: 'path', required: true, schema: path[name] ?? { type: 'string' } })),
    ...Object.entries(query.properties).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query.required.includes(name),
      schema,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    })),
  ];
}

function requestBody(route: RouteContract): JsonSchema | undefined {
  if (route.multipart) {
    const parts = Object.fromEntries(Object.entries(route.multipart.shape).map(([name, schema]) => [name, name === 'file' ? { type: 'string', format: 'binary' } : schemaOf(schema as z.ZodType, 'input')]));
    return { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: Object.keys(parts), properties: parts } } } };
  }
  if (!route.body) return undefined;
  return { required: route.bodyRequired ?? false, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
}

function success(route: RouteContract): JsonSchema {
  const { response } = route;
  if (response === null) return { description: 'Done; no content' };
  if (isFileAnswer(response)) return { description: 'The file', content: Object.fromEntries(response.file.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) };
  return { description: response.description ?? route.summary, content: { 'application/json': { schema: schemaOf(response, 'output') } } };
}

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/**
 * What any route can answer besides its own errors, in the same shape: the character rule and
 * malformed addresses (400), the rate limits (429, with Retry-After), headers too large (431) and
 * an unexpected failure (500); a route taking a body, one too large (413) or of another type (415).
 */
const EVERY_ROUTE: Record<number, string> = {
  400: 'The call is not well-formed, or a field breaks a rule (named in `fields`)',
  429: 'Too many calls from this person or address; Retry-After says when to try again',
  431: 'The request headers are larger than allowed',
  500: 'Something unexpected failed; nothing was changed',
};
const WITH_BODY: Record<number, string> = { 413: 'The body is larger than allowed', 415: 'The body is not of a type the route takes' };

function errorResponses(route: RouteContract): Record<string, JsonSchema> {
  const described: Record<number, string> = { ...EVERY_ROUTE, ...(route.body || route.multipart ? WITH_BODY : {}) };
  const statuses = [...new Set([...route.errors, ...Object.keys(described).map(Number)])].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: described[status] ?? 'Error',
        ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } } } : {}),
        content: ERROR_CONTENT,
      },
    ]),
  );
}

function operation(route: RouteContract): JsonSchema {
  const params = parameters(route);
  const body = requestBody(route);
  return {
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.public ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: {
      [String(route.status)]: success(route),
      ...errorResponses(route),
    },
  };
}

export function openApiDocument(routes: readonly RouteContract[]): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.0.3',
    info: { title: 'Social Media Checks API', version: '1.0.0', description: 'Authorising, carrying out and recording checks of public Facebook information.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: ERROR, ...Object.fromEntries(NAMED.map(([name, schema, io]) => [name, toJson(schema, io)])) },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
