/**
 * Line management comes from the directory (DESIGN.md §1): when a social worker's manager changes
 * there, a request of theirs still waiting for the team manager recorded at submission goes to the
 * new one — who gets the agreement card, while every copy of the old card is updated — rather than
 * staying with a manager who may have moved on, and out of reach of the one now responsible. Written
 * in the sync's transaction, with an audit entry on each request.
 */
import { participants } from '../../domain/policy';
import { hasRole, type Person } from '../../domain/roles';
import type { UnitOfWork } from '../ports';

export interface ManagerChange {
  person: Person;
  from: string | null;
  to: string | null;
}

/** Moves each waiting request to the worker's new line manager; returns how many moved. */
export async function followLineManagers(uow: UnitOfWork, changes: readonly ManagerChange[], at: string, actor: { actorId: string; actorRole: string; httpRequestId: string | null }): Promise<number> {
  let moved = 0;
  for (const { person, from, to } of changes) {
    if (!from || !to || from === to) continue;
    const manager = await uow.directory.get(to);
    if (!manager?.active || !hasRole(manager, 'team_manager')) continue;
    const waiting = (await uow.requests.list({ states: ['awaiting_team_manager'], involving: person.id })).filter((r) => r.originatingWorkerId === person.id && r.teamManagerId === from);
    for (const request of waiting) {
      // One person never holds two parts on a request: one who already does stays as it was.
      if (participants(request).has(to)) continue;
      const next = { ...request, teamManagerId: to, version: request.version + 1, updatedAt: at };
      // Someone acting on it at the same moment wins; the request stays as they left it.
      if (!(await uow.requests.update(next, request))) continue;
      const payload = { reference: request.reference, action: 'team_manager_changed', fromState: request.state, state: next.state, version: next.version, actorId: actor.actorId };
      await uow.audit.append(
        {
          at,
          actorId: actor.actorId,
          actorRole: actor.actorRole,
          action: 'team_manager_changed',
          requestId: request.id,
          fromState: request.state,
          toState: next.state,
          reason: null,
          detail: { from, to, why: 'The originating worker’s line manager changed in the directory.' },
          httpRequestId: actor.httpRequestId,
        },
        [
          { requestId: request.id, recipientId: to, kind: 'agree_request', payload },
          { requestId: request.id, recipientId: null, kind: 'request_updated', payload },
        ],
      );
      moved += 1;
    }
  }
  return moved;
}
