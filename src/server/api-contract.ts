/**
 * Every route of the API: what it takes and what it answers, as zod schemas. The routes are
 * registered from this table (api-route.ts) and the OpenAPI document is generated from it
 * (openapi.ts), so the two cannot disagree.
 */
import { z } from 'zod';
import { contentLinkSchema, auditEntrySchema, evidenceItemSchema, notificationStatusSchema, recordDocumentSchema, searchSessionSchema } from '../contracts/records';
import { requestPageSchema, requestViewSchema } from '../contracts/requests';
import { contentLinkRequestSchema } from '../app/requests/content-links';
import { discardDraftQuerySchema } from '../app/requests/discard-draft';
import { listRequestsQuerySchema } from '../app/requests/list-requests';
import { startSearchSessionSchema } from '../app/requests/search-sessions';
import { actionBodySchemas, draftRequestSchema, evidenceMetadataSchema, feedbackSchema, investigationLogSchema } from '../domain/forms';
import { WORKFLOW_ACTIONS } from '../domain/states';
import type { RouteContract } from './api-route';

const uuid = z.string().uuid();
const onRequest = z.object({ id: uuid });
const item = (name: string) => z.object({ id: uuid, [name]: z.string() });
const FILE_TYPES = ['image/png', 'image/jpeg', 'application/pdf', 'text/html', 'application/octet-stream'] as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Any workflow action's body: each action's own schema is in actionBodySchemas. */
const actionBody = z.union(WORKFLOW_ACTIONS.map((a) => actionBodySchemas[a]));

export const requestRoutes = {
  listRequests: {
    method: 'GET',
    path: '/api/requests',
    summary: 'Requests the caller may see, newest first, a page at a time, with how many wait for the caller',
    query: listRequestsQuerySchema,
    status: 200,
    response: requestPageSchema,
    errors: [400, 401],
  },
  createRequest: {
    method: 'POST',
    path: '/api/requests',
    summary: 'Raise a draft request (answers may still be missing; submit checks the whole form)',
    body: draftRequestSchema,
    bodyRequired: true,
    status: 201,
    response: requestViewSchema,
    errors: [400, 401, 403],
  },
  getRequest: { method: 'GET', path: '/api/requests/{id}', summary: 'The request', params: onRequest, status: 200, response: requestViewSchema, errors: [401, 404] },
  updateDraft: {
    method: 'PUT',
    path: '/api/requests/{id}',
    summary: 'Save the draft',
    params: onRequest,
    body: draftRequestSchema,
    bodyRequired: true,
    status: 200,
    response: requestViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  discardDraft: {
    method: 'DELETE',
    path: '/api/requests/{id}',
    summary: 'Discard a draft never submitted',
    description: 'A returned request is withdrawn instead. The audit trail keeps that it existed. `version` is the version you are looking at; refused with 409 when it is stale.',
    params: onRequest,
    query: discardDraftQuerySchema,
    status: 204,
    response: null,
    errors: [400, 401, 403, 404, 409],
  },
  takeAction: {
    method: 'POST',
    path: '/api/requests/{id}/actions/{action}',
    summary: 'Take a workflow step',
    description: 'The body always carries `version`; each action has its own body (actionBodySchemas).',
    params: z.object({ id: uuid, action: z.enum(WORKFLOW_ACTIONS) }),
    body: actionBody,
    bodyRequired: true,
    status: 200,
    response: requestViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  listSearchSessions: { method: 'GET', path: '/api/requests/{id}/search-sessions', summary: 'Search sessions', params: onRequest, status: 200, response: z.array(searchSessionSchema), errors: [401, 404] },
  startSearchSession: {
    method: 'POST',
    path: '/api/requests/{id}/search-sessions',
    summary: 'Start a timed search session with the corporate account',
    params: onRequest,
    body: startSearchSessionSchema,
    bodyRequired: true,
    status: 201,
    response: searchSessionSchema,
    errors: [400, 401, 403, 404, 409],
  },
  endSearchSession: {
    method: 'POST',
    path: '/api/requests/{id}/search-sessions/{sid}/end',
    summary: 'End a search session',
    params: item('sid'),
    status: 200,
    response: searchSessionSchema,
    errors: [401, 403, 404, 409],
  },
  saveLog: { method: 'PUT', path: '/api/requests/{id}/log', summary: 'Save the Investigation Log', params: onRequest, body: investigationLogSchema, bodyRequired: true, status: 200, response: requestViewSchema, errors: [400, 401, 403, 404, 409] },
  saveFeedback: { method: 'PUT', path: '/api/requests/{id}/feedback', summary: 'Save the pilot feedback', params: onRequest, body: feedbackSchema, bodyRequired: true, status: 200, response: requestViewSchema, errors: [400, 401, 403, 404, 409] },
  timeline: { method: 'GET', path: '/api/requests/{id}/audit', summary: 'The request’s audit trail, with names', params: onRequest, status: 200, response: z.array(auditEntrySchema), errors: [401, 404] },
  notifications: {
    method: 'GET',
    path: '/api/requests/{id}/notifications',
    summary: 'Delivery of the notifications the caller’s steps sent, with advice on failures',
    params: onRequest,
    status: 200,
    response: z.array(notificationStatusSchema),
    errors: [401, 404],
  },
  retryNotification: {
    method: 'POST',
    path: '/api/requests/{id}/notifications/{nid}/retry',
    summary: 'Send a failed notification again (its sender)',
    params: z.object({ id: uuid, nid: uuid }),
    status: 204,
    response: null,
    errors: [401, 403, 404, 409],
  },
  listDocuments: { method: 'GET', path: '/api/requests/{id}/documents', summary: 'The filed record documents', params: onRequest, status: 200, response: z.array(recordDocumentSchema), errors: [401, 404] },
  documentLink: {
    method: 'POST',
    path: '/api/requests/{id}/documents/{did}/links',
    summary: 'A one-time link to download a filed record document',
    params: item('did'),
    body: contentLinkRequestSchema,
    status: 201,
    response: contentLinkSchema,
    errors: [400, 401, 403, 404],
  },
  documentContent: {
    method: 'GET',
    path: '/api/requests/{id}/documents/{did}/content',
    summary: 'A filed record document (audited)',
    params: item('did'),
    query: z.object({ ticket: z.string().optional().describe('A one-time link token from …/links, instead of the bearer token') }),
    status: 200,
    response: { file: [DOCX] },
    errors: [401, 403, 404],
  },
  deleteEvidence: {
    method: 'DELETE',
    path: '/api/requests/{id}/evidence/{eid}',
    summary: 'Always refused: evidence is part of the formal record; upload a correction instead',
    params: item('eid'),
    status: 204,
    response: null,
    errors: [401, 403],
  },
  listEvidence: { method: 'GET', path: '/api/requests/{id}/evidence', summary: 'Evidence items', params: onRequest, status: 200, response: z.array(evidenceItemSchema), errors: [401, 404] },
  evidenceLink: {
    method: 'POST',
    path: '/api/requests/{id}/evidence/{eid}/links',
    summary: 'A one-time link to the item for the tab to preview or download (used once, within a minute, by the person it was issued to; the read is audited)',
    params: item('eid'),
    body: contentLinkRequestSchema,
    status: 201,
    response: contentLinkSchema,
    errors: [400, 401, 403, 404],
  },
  evidenceContent: {
    method: 'GET',
    path: '/api/requests/{id}/evidence/{eid}/content',
    summary: 'The file (audited), sandboxed: images and PDFs inline, everything else as an attachment',
    params: item('eid'),
    query: z.object({ ticket: z.string().optional().describe('A one-time link token from …/links, instead of the bearer token'), download: z.enum(['1']).optional() }),
    status: 200,
    response: { file: FILE_TYPES },
    errors: [401, 403, 404],
  },
  addEvidence: {
    method: 'POST',
    path: '/api/requests/{id}/evidence',
    summary: 'Store a copy of publicly visible information: a “metadata” part, then a “file” part',
    params: onRequest,
    multipart: z.object({ metadata: evidenceMetadataSchema, file: z.string().describe('The file') }),
    status: 201,
    response: evidenceItemSchema,
    errors: [400, 401, 403, 404, 409, 413, 415],
  },
} as const satisfies Record<string, RouteContract>;
