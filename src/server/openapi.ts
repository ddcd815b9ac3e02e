/** The OpenAPI document, generated from the same zod schemas that validate the requests. */
import { RECORD_ABILITIES } from '../domain/policy';
import { z } from 'zod';
import { disclosureQuerySchema } from '../domain/disclosure';
import { disposalProposalSchema, legalHoldSchema } from '../domain/retention';
import { actionBodySchemas, draftRequestSchema, evidenceMetadataSchema, feedbackSchema, investigationLogSchema, investigationRequestSchema, surveySchema } from '../domain/forms';
import { pilotSettingsSchema } from '../domain/pilot';
import { REQUEST_STATES, WORKFLOW_ACTIONS } from '../domain/states';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });

const errorResponse = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), errorResponse]));
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const period = ['from', 'to', 'team'].map((name) => ({ name, in: 'query', required: name !== 'team', schema: { type: 'string' } }));
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
        /** What POST and PUT accept: a draft may leave answers out; `submit` needs InvestigationRequestInput complete. */
        DraftRequestInput: schema(draftRequestSchema),
        InvestigationRequest: {
          allOf: [
            { $ref: '#/components/schemas/InvestigationRequestInput' },
            {
              type: 'object',
              required: ['id', 'reference', 'state', 'version', 'allowedActions', 'abilities', 'waitingForMe'],
              properties: {
                id: { type: 'string', format: 'uuid' },
                reference: { type: 'string' },
                state: { type: 'string', enum: [...REQUEST_STATES] },
                version: { type: 'integer' },
                allowedActions: {
                  type: 'array',
                  description: 'The workflow actions the caller may take now, each with whether it needs a written reason',
                  items: {
                    type: 'object',
                    required: ['action', 'reasonRequired'],
                    properties: { action: { type: 'string', enum: [...WORKFLOW_ACTIONS] }, reasonRequired: { type: 'boolean' } },
                  },
                },
                abilities: { type: 'array', description: 'What else the caller may do with the request now', items: { type: 'string', enum: RECORD_ABILITIES.filter((a) => a !== 'view') } },
                waitingForMe: { type: 'boolean', description: 'Whether the request waits for a step of the caller’s' },
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
            { name: 'shared', in: 'query', schema: { type: 'boolean' }, description: 'Only requests whose log has been shared with the caller' },
            {
              name: 'q',
              in: 'query',
              schema: { type: 'string', maxLength: 200 },
              description: 'Text found in the reference or case reference, or (where the caller may see personal details) a child’s or a person to check’s name or other names',
            },
            { name: 'raisedFrom', in: 'query', schema: { type: 'string' }, description: 'Raised on or after this day (dd/mm/yyyy or YYYY-MM-DD, London)' },
            { name: 'raisedTo', in: 'query', schema: { type: 'string' }, description: 'Raised on or before this day' },
            { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: 400 }, description: 'The nextCursor of the previous page' },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: { '200': { description: 'Requests the caller may see' }, ...errors(400, 401) },
        },
        post: { requestBody: { required: true, ...json('DraftRequestInput') }, responses: { '201': { description: 'Draft created (answers may still be missing)', ...json('InvestigationRequest') }, ...errors(400, 401, 403) } },
      },
      '/api/requests/{id}': {
        parameters: [idParam],
        get: { responses: { '200': { description: 'The request', ...json('InvestigationRequest') }, ...errors(401, 404) } },
        put: { requestBody: { required: true, ...json('DraftRequestInput') }, responses: { '200': { description: 'Draft updated', ...json('InvestigationRequest') }, ...errors(400, 401, 403, 404, 409) } },
        delete: {
          description: 'Discards a draft never submitted (a returned request is withdrawn instead). The audit trail keeps that it existed.',
          parameters: [{ name: 'version', in: 'query', schema: { type: 'integer' }, description: 'The version you are looking at; refused with 409 when it is stale' }],
          responses: { '204': { description: 'Discarded' }, ...errors(400, 401, 403, 404, 409) },
        },
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
        parameters: [
          idParam,
          { name: 'eid', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'ticket', in: 'query', required: false, schema: { type: 'string' }, description: 'A one-time link token from …/links, instead of the bearer token' },
          { name: 'download', in: 'query', required: false, schema: { type: 'string', enum: ['1'] } },
        ],
        get: { responses: { '200': { description: 'The file (audited), sandboxed: images and PDFs inline, everything else as an attachment' }, ...errors(401, 403, 404) } },
      },
      '/api/requests/{id}/evidence/{eid}/links': {
        parameters: [idParam, { name: 'eid', in: 'path', required: true, schema: { type: 'string' } }],
        post: {
          summary: 'A one-time link to the item for the tab to preview or download (used once, within a minute, by the person it was issued to; the read is audited)',
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { download: { type: 'boolean' } }, additionalProperties: false } } } },
          responses: { '201': { description: '{ url, expiresAt, download }' }, ...errors(400, 401, 403, 404) },
        },
      },
      '/api/requests/{id}/documents/{did}/links': {
        parameters: [idParam, { name: 'did', in: 'path', required: true, schema: { type: 'string' } }],
        post: { summary: 'A one-time link to download a filed record document', responses: { '201': { description: '{ url, expiresAt, download }' }, ...errors(400, 401, 403, 404) } },
      },
      '/api/requests/{id}/log': { parameters: [idParam], put: { requestBody: { required: true, ...json('InvestigationLog') }, responses: { '200': { description: 'Saved' }, ...errors(400, 401, 403, 404, 409) } } },
      '/api/requests/{id}/feedback': { parameters: [idParam], put: { requestBody: { required: true, ...json('Feedback') }, responses: { '200': { description: 'Saved' }, ...errors(400, 401, 403, 404, 409) } } },
      '/api/evaluation': { get: { summary: 'Pilot figures for a period (from, to: YYYY-MM-DD) and optional team; service managers and directors', parameters: period, responses: { '200': { description: 'Figures' }, ...errors(400, 401, 403) } } },
      '/api/evaluation/export': { get: { summary: 'Figures and one anonymised row per request as CSV or XLSX', parameters: [...period, { name: 'format', in: 'query', required: true, schema: { type: 'string', enum: ['csv', 'xlsx'] } }], responses: { '200': { description: 'The file' }, ...errors(400, 401, 403) } } },
      '/api/evaluation/summary.docx': { get: { summary: 'One-page evaluation summary for the Service Director', parameters: period, responses: { '200': { description: 'Word document' }, ...errors(400, 401, 403) } } },
      '/api/surveys': { post: { summary: 'Rate the ease and effectiveness of the authorisation process (once a month)', requestBody: { required: true, content: { 'application/json': { schema: schema(surveySchema) } } }, responses: { '201': { description: 'Answer recorded' }, ...errors(400, 401, 409) } } },
      '/api/surveys/ask': { post: { summary: 'Whether the tab should ask for the survey now (at most once a month, with the bot)', responses: { '200': { description: '{ ask }' }, ...errors(401) } } },
      '/api/retention/review': { get: { summary: 'Retention review list: due, proposed, under legal hold, files still to remove; service managers and directors', responses: { '200': { description: 'The review list' }, ...errors(401, 403) } } },
      '/api/retention/requests/{id}': { parameters: [idParam], get: { summary: 'One request’s retention: lawful basis, rule, retain-until date, hold, proposal, disposal (a tombstone once disposed)', responses: { '200': { description: 'Retention' }, ...errors(401, 403, 404) } } },
      '/api/retention/requests/{id}/hold': { parameters: [idParam], put: { summary: 'Place ({"hold": true, "reason"}) or lift ({"hold": false, "reason"}) a legal hold; audited', requestBody: { required: true, content: { 'application/json': { schema: schema(legalHoldSchema) } } }, responses: { '200': { description: 'Retention' }, ...errors(400, 401, 403, 404, 409) } } },
      '/api/retention/requests/{id}/proposal': { parameters: [idParam], post: { summary: 'A service manager proposes disposal of a request that is due and not held; audited', requestBody: { required: false, content: { 'application/json': { schema: schema(disposalProposalSchema) } } }, responses: { '200': { description: 'Retention' }, ...errors(400, 401, 403, 404, 409) } } },
      '/api/retention/requests/{id}/disposal': { parameters: [idParam], post: { summary: 'A service director (not the proposer) confirms disposal: personal data and evidence removed, tombstone and figures kept, audit entries redacted by hash', responses: { '200': { description: 'Retention of the tombstone' }, ...errors(401, 403, 404, 409) } } },
      '/api/disclosures': { post: { summary: 'Subject access search by name, date of birth or profile link; administrators and service managers', requestBody: { required: true, content: { 'application/json': { schema: schema(disclosureQuerySchema) } } }, responses: { '201': { description: 'Disclosure id and the requests found' }, ...errors(400, 401, 403) } } },
      '/api/disclosures/{id}/content': { parameters: [idParam], get: { summary: 'The disclosure bundle (ZIP)', responses: { '200': { description: 'ZIP' }, ...errors(401, 403, 404) } } },
      '/api/pilot/settings': {
        get: { responses: { '200': { description: 'Pilot settings' }, ...errors(401) } },
        put: { summary: 'Administrators; audited', requestBody: { required: true, content: { 'application/json': { schema: schema(pilotSettingsSchema) } } }, responses: { '200': { description: 'Saved' }, ...errors(400, 401, 403) } },
      },
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
