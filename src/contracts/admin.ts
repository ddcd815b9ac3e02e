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
      kind: z.enum(['roles_not_combined', 'bootstrap_administrator_not_found']),
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

export type DirectorySyncRun = z.infer<typeof directorySyncRunSchema>;
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;
