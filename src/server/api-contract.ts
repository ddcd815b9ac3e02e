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
import { directorySyncRunSchema, directoryViewSchema, registerViewSchema, surveyAnswerSchema } from '../contracts/admin';
import { disclosureSchema, evaluationSchema, pilotSettingsViewSchema } from '../contracts/evaluation';
import { botMessagesAnswerSchema, openApiDocumentSchema } from '../contracts/host';
import { operationsViewSchema } from '../contracts/operations';
import { retentionItemSchema, retentionReviewSchema } from '../contracts/retention';
import { deputiesViewSchema, deputyshipSchema, devUserSchema, hostSchema, meSchema, personSummarySchema, teamManagerChoiceSchema } from '../contracts/people';
import { registerLimitSchema } from '../app/directory/set-register-limit';
import { registerEntrySchema } from '../app/directory/update-register-entry';
import { periodQuerySchema } from '../app/evaluation/get-figures';
import { listPeopleQuerySchema } from '../app/people/list-people';
import { disclosureQuerySchema } from '../domain/disclosure';
import { surveySchema } from '../domain/forms';
import { pilotSettingsSchema } from '../domain/pilot';
import { disposalProposalSchema, legalHoldSchema } from '../domain/retention';
import { deputySchema } from '../domain/team-managers';
import { safeString } from '../domain/forms';

const uuid = z.string().uuid();
const onRequest = z.object({ id: uuid });
const item = (name: string) => z.object({ id: uuid, [name]: safeString().max(64) });
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
    query: z.object({ ticket: safeString().max(200).optional().describe('A one-time link token from …/links, instead of the bearer token') }),
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
    query: z.object({ ticket: safeString().max(200).optional().describe('A one-time link token from …/links, instead of the bearer token'), download: z.enum(['1']).optional().describe('1: as an attachment, even an image or PDF that could be previewed') }),
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

const status = (value: string) => z.object({ status: z.literal(value) });
const counts = z.object({ pending: z.number(), failed: z.number() });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const peopleRoutes = {
  me: { method: 'GET', path: '/api/me', summary: 'The caller with roles', status: 200, response: meSchema, errors: [401] },
  people: { method: 'GET', path: '/api/people', summary: 'Active people holding the role', query: listPeopleQuerySchema, status: 200, response: z.array(personSummarySchema), errors: [400, 401, 403] },
  teamManager: { method: 'GET', path: '/api/me/team-manager', summary: 'Where the signed-in worker’s requests go, and why', status: 200, response: teamManagerChoiceSchema, errors: [401] },
  deputies: { method: 'GET', path: '/api/me/deputies', summary: 'The caller’s deputies, and whom the caller stands in for', status: 200, response: deputiesViewSchema, errors: [401] },
  nameDeputy: {
    method: 'POST',
    path: '/api/me/deputies',
    summary: 'A team manager names another as deputy for a period of up to 92 days (audited)',
    body: deputySchema,
    bodyRequired: true,
    status: 201,
    response: deputyshipSchema,
    errors: [400, 401, 403, 409],
  },
  endDeputy: { method: 'POST', path: '/api/me/deputies/{id}/end', summary: 'End a deputyship (audited)', params: onRequest, status: 204, response: null, errors: [401, 403, 404, 409] },
} as const satisfies Record<string, RouteContract>;

/** What the server itself answers: the tab's start, this document, and the bot's endpoint. */
export const hostRoutes = {
  host: { method: 'GET', path: '/api/host', summary: 'What the tab needs before anyone signs in: local sign-in, or the Teams deep link to open instead', public: true, status: 200, response: hostSchema, errors: [] },
  openApi: { method: 'GET', path: '/api/openapi.json', summary: 'This document', public: true, status: 200, response: openApiDocumentSchema, errors: [] },
  botMessages: {
    method: 'POST',
    path: '/api/messages',
    summary: 'The bot’s endpoint: activities from the Bot Connector service (authenticated by its own token)',
    public: true,
    body: z.looseObject({ type: z.string() }).describe('A Bot Framework activity'),
    foreignBody: true,
    bodyRequired: true,
    status: 200,
    response: botMessagesAnswerSchema,
    // 403: a token or activity refused; 501: an invoke the bot has no handler for; 503: the Bot Connector did not take the reply.
    errors: [400, 401, 403, 501, 503],
  },
} as const satisfies Record<string, RouteContract>;

/** Local sign-in: whom to act as. */
export const devTokenSchema = z.object({ userId: safeString({ error: 'Choose who to sign in as.' }).min(1, { error: 'Choose who to sign in as.' }).max(64) });

export const devRoutes = {
  devUsers: { method: 'GET', path: '/api/dev/users', summary: 'Seeded people (local mode only)', public: true, status: 200, response: z.array(devUserSchema), errors: [] },
  devToken: { method: 'POST', path: '/api/dev/token', summary: 'Sign in as a seeded person (local mode only)', public: true, body: devTokenSchema, bodyRequired: true, status: 200, response: z.object({ token: z.string() }), errors: [400, 404] },
} as const satisfies Record<string, RouteContract>;

export const operationsRoutes = {
  health: { method: 'GET', path: '/api/health', summary: 'The process answers', public: true, status: 200, response: status('ok'), errors: [] },
  ready: {
    method: 'GET',
    path: '/api/health/ready',
    summary: 'The database answers, and what is waiting; 503 {status: "unavailable", database: "unreachable"} when it does not',
    public: true,
    status: 200,
    response: z.object({ status: z.literal('ready'), database: z.literal('ok'), notifications: counts, uploads: counts }),
    errors: [503],
  },
  operations: {
    method: 'GET',
    path: '/api/admin/operations',
    summary: 'Failed notifications and uploads still pending (administrators)',
    status: 200,
    response: operationsViewSchema,
    errors: [401, 403],
  },
  retryFailedNotification: {
    method: 'POST',
    path: '/api/admin/notifications/{id}/retry',
    summary: 'Send a failed notification again (administrators)',
    params: onRequest,
    status: 202,
    response: status('queued'),
    errors: [400, 401, 403, 404],
  },
  retryUpload: {
    method: 'POST',
    path: '/api/admin/uploads/{key}/retry',
    summary: 'Try a pending upload again now (administrators)',
    params: z.object({ key: z.string().regex(/^pending:[0-9a-f-]{36}$/) }),
    status: 202,
    response: status('queued'),
    errors: [400, 401, 403, 404],
  },
} as const satisfies Record<string, RouteContract>;

export const adminRoutes = {
  directory: { method: 'GET', path: '/api/admin/directory', summary: 'The directory as synced, with the last runs (administrators)', status: 200, response: directoryViewSchema, errors: [401, 403] },
  syncDirectory: { method: 'POST', path: '/api/admin/directory/sync', summary: 'Sync the directory now (administrators)', status: 200, response: directorySyncRunSchema, errors: [401, 403, 409] },
  register: { method: 'GET', path: '/api/admin/register', summary: 'The access worker register (administrators)', status: 200, response: registerViewSchema, errors: [401, 403] },
  registerLimit: { method: 'PUT', path: '/api/admin/register/limit', summary: 'How many access workers the register may hold (audited)', body: registerLimitSchema, bodyRequired: true, status: 200, response: registerViewSchema, errors: [400, 401, 403, 409] },
  registerEntry: {
    method: 'PUT',
    path: '/api/admin/register/people/{personId}',
    summary: 'An access worker’s authorisation on the register (audited)',
    description: 'Answers the whole register as it now stands.',
    params: z.object({ personId: safeString().max(64) }),
    body: registerEntrySchema,
    bodyRequired: true,
    status: 200,
    response: registerViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
} as const satisfies Record<string, RouteContract>;

const exportQuery = periodQuerySchema.and(z.object({ format: z.enum(['csv', 'xlsx']) }));

export const evaluationRoutes = {
  evaluation: { method: 'GET', path: '/api/evaluation', summary: 'Pilot figures for a period and optional team; service managers and directors', query: periodQuerySchema, status: 200, response: evaluationSchema, errors: [400, 401, 403] },
  evaluationExport: {
    method: 'GET',
    path: '/api/evaluation/export',
    summary: 'Figures and one anonymised row per request as CSV or XLSX',
    query: exportQuery,
    status: 200,
    response: { file: ['text/csv', XLSX] },
    errors: [400, 401, 403],
  },
  evaluationSummary: { method: 'GET', path: '/api/evaluation/summary.docx', summary: 'One-page evaluation summary for the Service Director', query: periodQuerySchema, status: 200, response: { file: [DOCX] }, errors: [400, 401, 403] },
  disclosure: {
    method: 'POST',
    path: '/api/disclosures',
    summary: 'Subject access search by name, date of birth or profile link; administrators and service managers',
    body: disclosureQuerySchema,
    bodyRequired: true,
    status: 201,
    response: disclosureSchema,
    errors: [400, 401, 403],
  },
  disclosureContent: { method: 'GET', path: '/api/disclosures/{id}/content', summary: 'The disclosure bundle (ZIP)', params: onRequest, status: 200, response: { file: ['application/zip'] }, errors: [401, 403, 404] },
  pilotSettings: { method: 'GET', path: '/api/pilot/settings', summary: 'Pilot settings', status: 200, response: pilotSettingsViewSchema, errors: [401] },
  savePilotSettings: { method: 'PUT', path: '/api/pilot/settings', summary: 'Administrators; audited', body: pilotSettingsSchema, bodyRequired: true, status: 200, response: pilotSettingsViewSchema, errors: [400, 401, 403] },
  survey: {
    method: 'POST',
    path: '/api/surveys',
    summary: 'Rate the ease and effectiveness of the authorisation process (once a month)',
    body: surveySchema,
    bodyRequired: true,
    status: 201,
    response: surveyAnswerSchema,
    errors: [400, 401, 409],
  },
  askSurvey: { method: 'POST', path: '/api/surveys/ask', summary: 'Whether the tab should ask for the survey now (at most once a month, with the bot)', status: 200, response: z.object({ ask: z.boolean() }), errors: [401] },
} as const satisfies Record<string, RouteContract>;

export const retentionRoutes = {
  review: { method: 'GET', path: '/api/retention/review', summary: 'Retention review list: due, proposed, under legal hold, files still to remove; service managers and directors', status: 200, response: retentionReviewSchema, errors: [401, 403] },
  retention: {
    method: 'GET',
    path: '/api/retention/requests/{id}',
    summary: 'One request’s retention: lawful basis, rule, retain-until date, hold, proposal, disposal (a tombstone once disposed)',
    params: onRequest,
    status: 200,
    response: retentionItemSchema,
    errors: [401, 403, 404],
  },
  hold: {
    method: 'PUT',
    path: '/api/retention/requests/{id}/hold',
    summary: 'Place or lift a legal hold; audited',
    params: onRequest,
    body: legalHoldSchema,
    bodyRequired: true,
    status: 200,
    response: retentionItemSchema,
    errors: [400, 401, 403, 404, 409],
  },
  proposal: {
    method: 'POST',
    path: '/api/retention/requests/{id}/proposal',
    summary: 'A service manager proposes disposal of a request that is due and not held; audited',
    params: onRequest,
    body: disposalProposalSchema,
    status: 200,
    response: retentionItemSchema,
    errors: [400, 401, 403, 404, 409],
  },
  disposal: {
    method: 'POST',
    path: '/api/retention/requests/{id}/disposal',
    summary: 'A service director (not the proposer) confirms disposal: personal data and evidence removed, tombstone and figures kept, audit entries redacted by hash',
    params: onRequest,
    status: 200,
    response: retentionItemSchema,
    errors: [401, 403, 404, 409],
  },
} as const satisfies Record<string, RouteContract>;

/** Every route of the API, for the OpenAPI document. */
export const API_ROUTES: readonly RouteContract[] = [requestRoutes, hostRoutes, peopleRoutes, devRoutes, operationsRoutes, adminRoutes, evaluationRoutes, retentionRoutes].flatMap((group) => Object.values(group));
