/**
 * A person's deputies: whom they have named (current and to come), for whom they stand in, and the
 * team managers they may name.
 */
import { londonDate } from '../../domain/dates';
import { hasRole } from '../../domain/roles';
import type { AppDeps } from '../deps';
import type { Caller, Deputyship } from '../ports';

export async function listDeputies(deps: AppDeps, caller: Caller) {
  const me = caller.person;
  const today = londonDate(deps.clock.now());
  const isManager = hasRole(me, 'team_manager');
  const [named, standingIn, managers] = await Promise.all([
    isManager ? deps.store.read.deputies.currentAndComing(me.id, today) : Promise.resolve([]),
    deps.store.read.deputies.inForceFor(me.id, today),
    isManager ? deps.directory.withRole('team_manager') : Promise.resolve([]),
  ]);
  const nameOf = async (id: string) => (await deps.directory.get(id))?.displayName ?? 'a former member of staff';
  const withNames = (list: Deputyship[]) =>
    Promise.all(list.map(async (d) => ({ ...d, deputyName: await nameOf(d.deputyId), teamManagerName: await nameOf(d.teamManagerId) })));
  return {
    deputies: await withNames(named),
    standingInFor: await withNames(standingIn),
    teamManagers: managers
      .filter((p) => p.active && p.id !== me.id)
      .map((p) => ({ id: p.id, displayName: p.displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB')),
  };
}
