/**
 * Every request has someone who can act (issue 14, rule 6): it goes to a team manager who holds
 * the role (the worker's line manager, or one the worker chooses); a team manager may name another
 * as deputy for a period, and waiting requests go to both; a decision left waiting too long is
 * escalated to the service manager, once. No I/O.
 */
import { z } from 'zod';
import { formatDate, parseUkDate, workingDaysBetween } from './dates';
import { safeString } from './forms';
import type { InvestigationRequest } from './request';
import { hasRole, type Person } from './roles';

export type TeamManagerRoute = { kind: 'directory'; teamManager: Person } | { kind: 'choose'; why: string };

/** Where a worker's request goes: their line manager when a team manager, else one they choose (and why). */
export function teamManagerRoute(worker: Person, lineManager: Person | null | undefined): TeamManagerRoute {
  if (lineManager && lineManager.active && hasRole(lineManager, 'team_manager') && lineManager.id !== worker.id) {
    return { kind: 'directory', teamManager: lineManager };
  }
  const why = lineManager ? `${lineManager.displayName}, your manager in the directory, is not a team manager` : 'you have no manager in the directory';
  return { kind: 'choose', why };
}

/** The longest a deputy may be named for at once. */
export const MAX_DEPUTY_DAYS = 92;

const date = (what: string) =>
  z.preprocess((v) => (typeof v === 'string' ? (parseUkDate(v) ?? v) : v), z.iso.date({ error: `Enter ${what} as a real date, day/month/year.` }));

export const deputySchema = z
  .object({
    deputyId: safeString({ error: 'Choose a team manager to deputise.' }).min(1, { error: 'Choose a team manager to deputise.' }).max(64),
    from: date('the first day'),
    to: date('the last day'),
  })
  .superRefine((d, ctx) => {
    if (d.to < d.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last day must be on or after the first.' });
    const days = (Date.parse(d.to) - Date.parse(d.from)) / 86_400_000;
    if (days >= MAX_DEPUTY_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `A deputy is named for at most ${MAX_DEPUTY_DAYS} days at a time.` });
  });
export type DeputyInput = z.output<typeof deputySchema>;

/** Why a person cannot deputise, or null when they can. `today` is the London date. */
export function deputyProblem(manager: Person, deputy: Person | null, input: DeputyInput, today: string): Record<string, string> | null {
  if (!deputy || !deputy.active || !hasRole(deputy, 'team_manager')) return { deputyId: 'Choose a person who holds the team-manager role.' };
  if (deputy.id === manager.id) return { deputyId: 'Choose another team manager: you cannot deputise for yourself.' };
  if (input.from < today) return { from: `The first day cannot be before today (${formatDate(today)}).` };
  return null;
}

/** The decision a request is waiting for, and since when. */
export function waitingDecision(request: InvestigationRequest): { stage: 'team_manager' | 'service_director'; since: string } | null {
  if (request.state === 'awaiting_team_manager' && request.submittedAt) return { stage: 'team_manager', since: request.submittedAt };
  if (request.state === 'awaiting_service_director' && request.agreement) return { stage: 'service_director', since: request.agreement.at };
  return null;
}

/** A decision waiting longer than `afterWorkingDays` working days (Monday to Friday) is escalated. */
export function dueEscalation(request: InvestigationRequest, now: Date, afterWorkingDays: number): { stage: 'team_manager' | 'service_director'; since: string } | null {
  const waiting = waitingDecision(request);
  if (!waiting) return null;
  return workingDaysBetween(new Date(waiting.since), now) > afterWorkingDays ? waiting : null;
}

