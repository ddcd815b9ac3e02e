/**
 * Where the caller's requests go when submitted: their line manager when a team manager, or else
 * a team manager they choose — with why, for the tab to explain.
 */
import { teamManagerRoute } from '../../domain/team-managers';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';

export async function teamManagerChoice(deps: AppDeps, caller: Caller) {
  const me = caller.person;
  const line = me.managerId ? await deps.directory.get(me.managerId) : null;
  const route = teamManagerRoute(me, line);
  if (route.kind === 'directory') return { teamManager: { id: route.teamManager.id, displayName: route.teamManager.displayName }, choose: false, why: null, teamManagers: [] };
  const managers = (await deps.directory.withRole('team_manager'))
    .filter((p) => p.active && p.id !== me.id)
    .map((p) => ({ id: p.id, displayName: p.displayName }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB'));
  return { teamManager: null, choose: true, why: `Choose a team manager to agree your requests: ${route.why}.`, teamManagers: managers };
}
