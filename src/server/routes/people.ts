/** The caller, people by role, and team managers' deputies: thin adapters from HTTP to the use cases. */
import { endDeputy } from '../../app/deputies/end-deputy';
import { listDeputies } from '../../app/deputies/list-deputies';
import { nameDeputy } from '../../app/deputies/name-deputy';
import { listPeople } from '../../app/people/list-people';
import { teamManagerChoice } from '../../app/people/team-manager-choice';
import { peopleRoutes } from '../api-contract';
import type { ApiRoutes } from '../api-route';
import type { RouteContext } from './requests';

export function registerPeopleRoutes(api: ApiRoutes, ctx: Pick<RouteContext, 'deps' | 'caller'>): void {
  const { deps } = ctx;
  const r = peopleRoutes;
  api.add(r.me, async (request) => {
    const { person } = ctx.caller(request);
    return { id: person.id, displayName: person.displayName, roles: person.roles, managerId: person.managerId ?? null, aadObjectId: person.aadObjectId, team: person.team ?? null, email: person.email ?? null };
  });
  api.add(r.people, async (request) => listPeople(deps, ctx.caller(request), request.query));
  api.add(r.teamManager, async (request) => teamManagerChoice(deps, ctx.caller(request)));
  api.add(r.deputies, async (request) => listDeputies(deps, ctx.caller(request)));
  api.add(r.nameDeputy, async (request) => nameDeputy(deps, ctx.caller(request), request.body));
  api.add(r.endDeputy, async (request) => endDeputy(deps, ctx.caller(request), (request.params as Record<string, string>).id ?? ''));
}
