/**
 * What the API answers about investigation requests. The server's presenters produce these shapes
 * and the tab reads them, so both import them from here (no Fastify, no Node).
 */
import { z } from 'zod';
import { CONCERN_CATEGORIES, CONTRIBUTIONS, MONITORING_FREQUENCIES, SUBJECT_KINDS, URGENCIES, VISIBILITIES } from '../domain/forms';
import { RECORD_ABILITIES } from '../domain/policy';
import { REQUEST_STATES, WORKFLOW_ACTIONS } from '../domain/states';

const state = z.enum(REQUEST_STATES);
const contribution = z.enum(CONTRIBUTIONS);

export const subjectViewSchema = z.object({
  id: z.string(),
  /** Missing only in a draft not yet finished. */
  kind: z.enum(SUBJECT_KINDS).optional(),
  name: z.string().optional(),
  otherNames: z.string().optional(),
  dateOfBirth: z.string().optional(),
  area: z.string().optional(),
  relationshipToChild: z.string().optional(),
  profileUrl: z.string().optional(),
  description: z.string().optional(),
});

export const decisionSchema = z.object({ by: z.string(), at: z.string(), note: z.string().optional(), reason: z.string().optional() });

export const scopeSchema = z.object({
  subjectIds: z.array(z.string()),
  period: z.object({ from: z.string(), to: z.string() }),
  kind: z.enum(['one_off', 'monitoring']),
  monitoring: z.object({ frequency: z.string(), endDate: z.string(), reviewDates: z.array(z.string()), nextReviewOn: z.string(), endedOn: z.string().optional() }).optional(),
  conditions: z.string().optional(),
  useBy: z.string(),
});

export const findingViewSchema = z.object({ subjectId: z.string(), visibility: z.enum(VISIBILITIES), profileUrl: z.string().optional(), summary: z.string() });

export const assessmentViewSchema = z.object({ summary: z.string(), usefulPieces: z.number(), uniquePieces: z.number(), contribution, actionsTaken: z.string() });

export const logViewSchema = z.object({
  findings: z.array(findingViewSchema),
  furtherPersons: z.array(z.object({ description: z.string() })),
  accessWorkerComments: z.string().optional(),
  assessment: assessmentViewSchema.optional(),
});

export const feedbackViewSchema = z.object({
  timesUsed: z.number(),
  searchMinutes: z.number().optional(),
  usefulPieces: z.number(),
  uniquePieces: z.number(),
  contribution,
  comments: z.string().optional(),
  followUp: z.object({ longerTermUsefulness: contribution, comments: z.string().optional() }).optional(),
});

export const doubtViewSchema = z.object({
  raisedBy: z.string(),
  raisedAs: z.enum(['access_worker', 'originating_worker']),
  raisedAt: z.string(),
  reason: z.string(),
  serviceManagerView: z.object({ by: z.string(), at: z.string(), note: z.string() }).nullable(),
  resolution: z.object({ by: z.string(), at: z.string(), outcome: z.enum(['resume', 'cancel']), note: z.string() }).nullable(),
});

export const earlierCheckSchema = z.object({
  subjectId: z.string(),
  requestId: z.string(),
  reference: z.string(),
  authorisedAt: z.string(),
  matchedBy: z.enum(['profile_link', 'name_and_date_of_birth']),
  /** Whether the viewer may open the earlier request; when not, only its reference is shown. */
  visible: z.boolean(),
});

/** The request as one person sees it: the form at top level, then state, decisions and what this person may do. */
export const requestViewSchema = z.object({
  /** In a draft, answers not yet given are empty ('' or []). */
  caseReference: z.string(),
  team: z.string().optional(),
  children: z.array(z.object({ name: z.string(), dateOfBirth: z.string().optional() })),
  concernCategories: z.array(z.enum(CONCERN_CATEGORIES)),
  concernOther: z.string().optional(),
  concernDetails: z.string(),
  justification: z.string(),
  subjects: z.array(subjectViewSchema),
  period: z.object({ from: z.string(), to: z.string() }),
  monitoring: z.object({ justification: z.string(), frequency: z.enum(MONITORING_FREQUENCIES).optional(), endDate: z.string() }).nullable(),
  urgency: z.enum(URGENCIES).optional(),
  neededBy: z.string(),
  id: z.string(),
  reference: z.string(),
  state,
  version: z.number(),
  originatingWorkerId: z.string(),
  teamManagerId: z.string().nullable(),
  agreement: decisionSchema.nullable(),
  authorisation: decisionSchema.extend({ scope: scopeSchema }).nullable(),
  /** An access worker the service director chose; only they may take the request. */
  designatedAccessWorkerId: z.string().nullable(),
  accessWorkerId: z.string().nullable(),
  doubtResolvers: z.array(z.object({ personId: z.string(), role: z.enum(['service_manager', 'service_director']) })),
  stateBeforeHold: state.nullable(),
  doubts: z.array(doubtViewSchema),
  caseRecordPlacement: z.object({ by: z.string(), at: z.string() }).nullable(),
  lastReason: decisionSchema.nullable(),
  firstSearchStartedAt: z.string().nullable(),
  log: logViewSchema.nullable(),
  feedback: feedbackViewSchema.nullable(),
  linkedFromRequestId: z.string().nullable(),
  sharedWith: z.array(z.object({ personId: z.string(), at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  stateLabel: z.string(),
  nextStep: z.string(),
  /** What the caller may do now, each action with whether it needs a written reason. */
  allowedActions: z.array(z.object({ action: z.enum(WORKFLOW_ACTIONS), reasonRequired: z.boolean() })),
  /** What else the caller may do with the request now. */
  abilities: z.array(z.enum(RECORD_ABILITIES)),
  /** Whether the request waits for a step of the caller's. */
  waitingForMe: z.boolean(),
  /** Display names by person id, for everyone the request names. */
  people: z.record(z.string(), z.string()),
  /** A one-off check's review window, from its first search session. */
  searchWindowClosesAt: z.string().nullable(),
  oneOffReviewDays: z.number(),
  followUpOpensAt: z.string().nullable(),
  /** People on this request checked under another authorisation in the last 12 months (team manager, directors and managers only). */
  earlierChecks: z.array(earlierCheckSchema).nullable(),
  ageDays: z.number(),
  today: z.string(),
  retention: z.object({ lawfulBasis: z.string(), rule: z.string(), retainUntil: z.string().nullable() }),
});

/** A page of `GET /api/requests`. */
export const requestPageSchema = z.object({
  /** Each with whether its next step is late by the reminder settings. */
  items: z.array(requestViewSchema.extend({ overdue: z.boolean() })),
  nextCursor: z.string().nullable(),
  counts: z.object({ waitingForMe: z.number() }),
});

export type ApiSubject = z.infer<typeof subjectViewSchema>;
export type ApiDecision = z.infer<typeof decisionSchema>;
export type ApiScope = z.infer<typeof scopeSchema>;
export type ApiFinding = z.infer<typeof findingViewSchema>;
export type ApiAssessment = z.infer<typeof assessmentViewSchema>;
export type ApiLog = z.infer<typeof logViewSchema>;
export type ApiFeedback = z.infer<typeof feedbackViewSchema>;
export type ApiDoubt = z.infer<typeof doubtViewSchema>;
export type EarlierCheck = z.infer<typeof earlierCheckSchema>;
export type ApiRequest = z.infer<typeof requestViewSchema>;
export type RequestPage = z.infer<typeof requestPageSchema>;
