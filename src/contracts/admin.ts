/** What the API answers about administration and the pilot's survey. */
import { z } from 'zod';
import { ROLES } from '../domain/roles';

const role = z.enum(ROLES);

/** One run of the directory sync, with what it could not apply. */
export const directorySyncRunSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  trigger: z.enum(['startup', 'schedule', 'on_demand']),
  requestedBy: z.string().nullable(),
  status: z.enum(['succeeded', 'failed']),
  added: z.number(),
  changed: z.number(),
  removed: z.number(),
  /** Open requests flagged to the service managers because their holder lost the role. */
  flaggedRequests: z.number(),
  problems: z.array(
    z.object({
      kind: z.enum(['roles_not_combined', 'bootstrap_administrator_not_found', 'account_disabled', 'account_state_unknown', 'guest_account']),
      aadObjectId: z.string().nullable(),
      displayName: z.string(),
      groups: z.array(role),
      withheld: role.nullable(),
      reason: z.string(),
    }),
  ),
  error: z.string().nullable(),
});

/** A survey answer as recorded. */
export const surveyAnswerSchema = z.object({
  id: z.string(),
  personId: z.string(),
  answeredAt: z.string(),
  easeOfAuthorisation: z.number(),
  effectiveness: z.number(),
  comments: z.string().nullable(),
});

/** The directory as the last sync left it (`GET /api/admin/directory`): read only, roles come from Entra ID groups. */
export const directoryViewSchema = z.strictObject({
  people: z.array(
    z.strictObject({
      id: z.string(),
      displayName: z.string(),
      email: z.string().nullable(),
      roles: z.array(role).max(ROLES.length),
      /** The manager's display name. */
      manager: z.string().nullable(),
      active: z.boolean(),
    }),
  ),
  lastSync: directorySyncRunSchema.nullable(),
  lastSucceeded: directorySyncRunSchema.nullable(),
  /** Failed runs since the last one that succeeded. */
  failuresSinceLastSuccess: z.number().int().min(0),
});

/** The access worker register (`GET /api/admin/register`, and the answer to each change of it). */
export const registerViewSchema = z.strictObject({
  /** How many access workers may be authorised at once. */
  limit: z.number().int().min(1),
  authorised: z.number().int().min(0),
  entries: z.array(
    z.strictObject({
      id: z.string(),
      displayName: z.string(),
      /** London dates, YYYY-MM-DD. */
      trainedOn: z.iso.date().nullable(),
      authorisedUntil: z.iso.date().nullable(),
      status: z.enum(['authorised', 'not_trained', 'ended']),
    }),
  ),
});

export type DirectorySyncRun = z.infer<typeof directorySyncRunSchema>;
export type DirectoryView = z.infer<typeof directoryViewSchema>;
export type RegisterView = z.infer<typeof registerViewSchema>;
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;
