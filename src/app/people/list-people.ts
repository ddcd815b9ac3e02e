import { z } from 'zod';
import { londonDate } from '../../domain/dates';
import { parseForm } from '../../domain/forms';
import { ROLES } from '../../domain/roles';
import type { AppDeps } from '../deps';
import { personGate } from '../gate';
import type { Caller } from '../ports';

export const listPeopleQuerySchema = z.object({ role: z.enum(ROLES, { error: 'Use one of the role names.' }) });

/** Names of the active people holding a role, e.g. the access worker register for the director's choice. */
export async function listPeople(deps: AppDeps, caller: Caller, query: unknown) {
  const { role } = parseForm(listPeopleQuerySchema, query ?? {});
  return personGate(deps, caller, 'view-people', async () => {
    const people = await deps.directory.withRole(role);
    const today = londonDate(deps.clock.now());
    return people
      .filter((p) => role !== 'access_worker' || !p.accessWorkerAuthorisedUntil || p.accessWorkerAuthorisedUntil >= today)
      .map((p) => ({ id: p.id, displayName: p.displayName, roles: p.roles, team: p.team ?? null }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB'));
  });
}
