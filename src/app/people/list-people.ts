import { z } from 'zod';
import { parseForm } from '../../domain/forms';
import { ROLES } from '../../domain/roles';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';

const querySchema = z.object({ role: z.enum(ROLES, { error: 'Use one of the role names.' }) });

/** Names of the active people holding a role, e.g. the access worker register for the director's choice. */
export async function listPeople(deps: AppDeps, _caller: Caller, query: unknown) {
  const { role } = parseForm(querySchema, query ?? {});
  const people = await deps.directory.withRole(role);
  const today = new Date(deps.clock.now().getTime()).toISOString().slice(0, 10);
  return people
    .filter((p) => role !== 'access_worker' || !p.accessWorkerAuthorisedUntil || p.accessWorkerAuthorisedUntil >= today)
    .map((p) => ({ id: p.id, displayName: p.displayName, roles: p.roles, team: p.team ?? null }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB'));
}
