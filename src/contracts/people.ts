/** What the API answers about people: the caller, people by role, team managers and their deputies. */
import { z } from 'zod';
import { ROLES } from '../domain/roles';

const role = z.enum(ROLES);
const named = z.object({ id: z.string(), displayName: z.string() });

/** The signed-in caller (`GET /api/me`). */
export const meSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  roles: z.array(role),
  managerId: z.string().nullable(),
  aadObjectId: z.string(),
  team: z.string().nullable(),
  email: z.string().nullable(),
});

/** A person as `GET /api/people?role=` lists them. */
export const personSummarySchema = z.object({ id: z.string(), displayName: z.string(), roles: z.array(role), team: z.string().nullable() });

/** A seeded person local sign-in may act as (`GET /api/dev/users`). */
export const devUserSchema = z.object({ id: z.string(), displayName: z.string(), roles: z.array(role), managerId: z.string().nullable(), aadObjectId: z.string(), team: z.string().nullable() });

/** Where the signed-in worker's requests go (`GET /api/me/team-manager`). */
export const teamManagerChoiceSchema = z.object({ teamManager: named.nullable(), choose: z.boolean(), why: z.string().nullable(), teamManagers: z.array(named) });

/** A team manager's deputy for a period (London dates, inclusive). */
export const deputyshipSchema = z.object({
  id: z.string(),
  teamManagerId: z.string(),
  deputyId: z.string(),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
});

export const namedDeputyshipSchema = deputyshipSchema.extend({ deputyName: z.string(), teamManagerName: z.string() });

export const deputiesViewSchema = z.object({ deputies: z.array(namedDeputyshipSchema), standingInFor: z.array(namedDeputyshipSchema), teamManagers: z.array(named) });

/** What the tab needs before anyone signs in. */
export const hostSchema = z.object({ localSignIn: z.boolean(), teamsTabLink: z.string().nullable() });

export type Me = z.infer<typeof meSchema>;
export type HostInfo = z.infer<typeof hostSchema>;
export type PersonSummary = z.infer<typeof personSummarySchema>;
export type DevUser = z.infer<typeof devUserSchema>;
export type TeamManagerChoice = z.infer<typeof teamManagerChoiceSchema>;
export type Deputyship = z.infer<typeof namedDeputyshipSchema>;
export type DeputiesView = z.infer<typeof deputiesViewSchema>;
