/** The OpenAPI document, generated from the same zod schemas that validate the requests. */
import { z } from 'zod';
import { actionBodySchemas, evidenceMetadataSchema, feedbackSchema, investigationLogSchema, investigationRequestSchema } from '../domain/forms';
import { REQUEST_STATES, WORKFLOW_ACTIONS } from '../domain/states';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });

const errorResponse = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), errorResponse]));
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'Social Media Checks API', version: '1.0.0', description: 'Authorising, carrying out and recording checks of public Facebook information.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, fields: { type: 'object', additionalProperties: { type: 'string' } } },
            },
          },
        },
        InvestigationRequestInput: schema(investigationRequestSchema),
        InvestigationRequest: {
          allOf: [
            { $ref: '#/components/schemas/InvestigationRequestInput' },
            {
              type: 'object',
              required: ['id', 'reference', 'state', 'version', 'allowedActions'],
              properties: {
                id: { type: 'string', format: 'uuid' },
                reference: { type: 'string' },
                state: { type: 'string', enum: [...REQUEST_STATES] },
                version: { type: 'integer' },
                allowedActions: { type: 'array', items: { type: 'string', enum: [...WORKFLOW_ACTIONS] } },
              },
            },
          ],
        },
        InvestigationLog: schema(investigationLogSchema),
        EvidenceMetadata: schema(evidenceMetadataSchema),
        Feedback: schema(feedbackSchema),
        ...Object.fromEntries(Object.entries(actionBodySchemas).map(([name, s]) => [`Action_${name}`, schema(s)])),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/health': { get: { security: [], responses: { '200': { description: 'Healthy' } } } },
      '/api/me': { get: { responses: { '200': { description: 'The caller with roles' }, ...errors(401) } } },
      '/api/requests': {
        get: {
          parameters: [
            { name: 'state', in: 'query', schema: { type: 'string' }, description: 'Comma-separated states' },
            { name: 'mine', in: 'query', schema: { type: 'boolean' } },
            { name: 'waiting', in: 'query', schema: { type: 'boolean' }, description: 'Only requests the caller can act on now' },
          ],
          responses: { '200': { description: 'Requests the caller may see' }, ...errors(400, 401) },
        },
        post: { requestBody: { required: true, ...json('InvestigationRequestInput') }, responses: { '201': { description: 'Draft created', ...json('InvestigationRequest') }, ...errors(400, 401, 403) } },
      },
      '/api/requests/{id}': {
        parameters: [idParam],
        get: { responses: { '200': { description: 'The request', ...json('InvestigationRequest') }, ...errors(401, 404) } },
        put: { requestBody: { required: true, ...json('InvestigationRequestInput') }, responses: { '200': { description: 'Draft updated', ...json('InvestigationRequest') }, ...errors(400, 401, 403, 404, 409) } },
      },
      '/api/requests/{id}/actions/{action}': {
        parameters: [idParam, { name: 'action', in: 'path', required: true, schema: { type: 'string', enum: [...WORKFLOW_ACTIONS] } }],
        post: {
          description: 'Takes a workflow step. The body always carries `version`; see the Action_* schemas for each action.',
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: WORKFLOW_ACTIONS.map((a) => ({ $ref: `#/components/schemas/Action_${a}` })) } } } },
          responses: { '200': { description: 'The updated request', ...json('InvestigationRequest') }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/requests/{id}/search-sessions': {
        parameters: [idParam],
        get: { responses: { '200': { description: 'Search sessions' }, ...errors(401, 404) } },
        post: {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', required: ['corporateAccount'], properties: { corporateAccount: { type: 'boolean', enum: [true] } } } } },
          },
          responses: { '201': { description: 'Started: {id, startedAt, corporateAccount}' }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/requests/{id}/search-sessions/{sid}/end': {
        parameters: [idParam, { name: 'sid', in: 'path', required: true, schema: { type: 'string' } }],
        post: { responses: { '200': { description: 'Ended: {id, startedAt, endedAt, durationSeconds}' }, ...errors(401, 403, 404, 409) } },
      },
      '/api/requests/{id}/evidence': {
        parameters: [idParam],
        get: { responses: { '200': { description: 'Evidence items' }, ...errors(401, 404) } },
        post: {
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: { type: 'object', required: ['metadata', 'file'], properties: { metadata: { $ref: '#/components/schemas/EvidenceMetadata' }, file: { type: 'string', format: 'binary' } } },
              },
            },
          },
          responses: { '201': { description: 'Stored item with size and SHA-256' }, ...errors(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      '/api/requests/{id}/evidence/{eid}/content': {
        parameters: [idParam, { name: 'eid', in: 'path', required: true, schema: { type: 'string' } }],
        get: { responses: { '200': { description: 'The file (audited)' }, ...errors(401, 404) } },
      },
      '/api/requests/{id}/log': { parameters: [idParam], put: { requestBody: { required: true, ...json('InvestigationLog') }, responses: { '200': { description: 'Saved' }, ...errors(400, 401, 403, 404, 409) } } },
      '/api/requests/{id}/feedback': { parameters: [idParam], put: { requestBody: { required: true, ...json('Feedback') }, responses: { '200': { description: 'Saved' }, ...errors(400, 401, 403, 404, 409) } } },
      '/api/requests/{id}/audit': { parameters: [idParam], get: { responses: { '200': { description: 'Timeline' }, ...errors(401, 404) } } },
      '/api/requests/{id}/notifications': {
        parameters: [idParam],
        get: { summary: 'Delivery of the notifications the caller’s steps sent (all, for administrators), with advice on failures', responses: { '200': { description: 'Notification delivery status' }, ...errors(401, 404) } },
      },
      '/api/requests/{id}/notifications/{nid}/retry': {
        parameters: [idParam, { name: 'nid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        post: { summary: 'Send a failed notification again (its sender or an administrator)', responses: { '204': { description: 'Queued again' }, ...errors(401, 403, 404, 409) } },
      },
      '/api/people': {
        get: {
          parameters: [{ name: 'role', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'Active people holding the role: [{id, displayName, roles, team}]' }, ...errors(400, 401) },
        },
      },
      '/api/dev/users': { get: { security: [], description: 'Local mode only', responses: { '200': { description: 'Seeded people' } } } },
      '/api/dev/token': { post: { security: [], description: 'Local mode only', responses: { '200': { description: '{token}' }, ...errors(400, 404) } } },
    },
  };
}
