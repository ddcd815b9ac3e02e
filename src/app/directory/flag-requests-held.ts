/**
 * Someone who can no longer act in a part they hold on open requests — out of a role's group (the
 * directory sync), or their access worker authorisation ended on the register (an administrator) —
 * must not leave those requests stranded: each is flagged to the service managers (or, when there
 * are none, the service directors), with an audit entry on the request, in the caller's transaction.
 */
import { OPEN_STATES } from '../../domain/states';
import type { InvestigationRequest } from '../../domain/request';
import { ROLE_LABELS, type Person, type Role } from '../../domain/roles';
import type { OutboxMessageInput, UnitOfWork } from '../ports';

/** The part on the request that needs one of the roles the person can no longer act in, if any. */
function heldInLostRole(request: InvestigationRequest, personId: string, lost: readonly Role[]): Role | null {
  if (request.state === 'draft') return null;
  if (lost.includes('social_worker') && request.originatingWorkerId === personId) return 'social_worker';
  if (lost.includes('team_manager') && request.state === 'awaiting_team_manager' && request.teamManagerId === personId) return 'team_manager';
  if (
    lost.includes('access_worker') &&
    ['authorised', 'assigned', 'searching', 'on_hold'].includes(request.state) &&
    (request.accessWorkerId === personId || request.designatedAccessWorkerId === personId)
  ) {
    return 'access_worker';
  }
  for (const role of ['service_manager', 'service_director'] as const) {
    if (lost.includes(role) && request.state === 'on_hold' && request.doubtResolvers.some((r) => r.personId === personId && r.role === role)) return role;
  }
  return null;
}

/** Flags every open request `person` holds in a part needing one of `lost`; returns how many. */
export async function flagRequestsHeld(
  uow: UnitOfWork,
  person: Person,
  lost: readonly Role[],
  at: string,
  actor: { actorId: string; actorRole: string; httpRequestId: string | null },
): Promise<number> {
  const requests = await uow.requests.list({ states: OPEN_STATES.filter((s) => s !== 'draft'), involving: person.id });
  const held = requests.flatMap((request) => {
    const role = heldInLostRole(request, person.id, lost);
    return role ? [{ request, role }] : [];
  });
  if (held.length === 0) return 0;
  // Read now, after the caller's writes: the directory as it stands.
  const managers = await uow.directory.withRole('service_manager');
  const flagTo = managers.length > 0 ? managers : await uow.directory.withRole('service_director');
  for (const { request, role } of held) {
    const payload = { reference: request.reference, personId: person.id, displayName: person.displayName, role, roleLabel: ROLE_LABELS[role], state: request.state, version: request.version };
    const messages: OutboxMessageInput[] = flagTo.filter((p) => p.id !== person.id).map((p) => ({ requestId: request.id, recipientId: p.id, kind: 'holder_lost_role', payload }));
    if (messages.length) await uow.outbox.add(messages);
    await uow.audit.append({
      at,
      actorId: actor.actorId,
      actorRole: actor.actorRole,
      action: 'holder_lost_role',
      requestId: request.id,
      fromState: request.state,
      toState: request.state,
      reason: null,
      detail: { personId: person.id, role, toldPersonIds: messages.map((m) => m.recipientId) },
      httpRequestId: actor.httpRequestId,
    });
  }
  return held.length;
}
