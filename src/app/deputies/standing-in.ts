/**
 * Deputies at work: who stands in for whom today, and the cards that bring a deputy the requests
 * waiting for the team manager they stand in for.
 */
import { londonDate } from '../../domain/dates';
import type { InvestigationRequest } from '../../domain/request';
import { hasRole, type Person } from '../../domain/roles';
import type { OutboxMessageInput, UnitOfWork } from '../ports';

/**
 * The person with the team managers they stand in for today, as the policy reads it. Only a team
 * manager can be a deputy, and the policy lets one act as deputy only while holding that role, so
 * anyone else stands in for no one and costs no query.
 */
export async function withStandingIn(read: Pick<UnitOfWork, 'deputies'>, person: Person, now: Date): Promise<Person> {
  if (!hasRole(person, 'team_manager')) return { ...person, standsInFor: [] };
  const deputyships = await read.deputies.inForceFor(person.id, londonDate(now));
  return { ...person, standsInFor: [...new Set(deputyships.map((d) => d.teamManagerId))] };
}

/** Deputies in force today for the request's team manager. */
export async function deputiesOf(read: Pick<UnitOfWork, 'deputies'>, request: Pick<InvestigationRequest, 'teamManagerId'>, now: Date): Promise<string[]> {
  if (!request.teamManagerId) return [];
  return [...new Set((await read.deputies.inForceOf(request.teamManagerId, londonDate(now))).map((d) => d.deputyId))];
}

/**
 * The agree cards a deputy is owed for requests waiting for their team manager: one per request
 * while it waits (its version does not change until someone decides), never to a person who plays
 * another part on it.
 */
export async function deputyCardsOwed(uow: Pick<UnitOfWork, 'requests' | 'outbox'>, teamManagerId: string, deputyId: string): Promise<OutboxMessageInput[]> {
  const waiting = (await uow.requests.list({ states: ['awaiting_team_manager'], involving: teamManagerId })).filter(
    (r) => r.teamManagerId === teamManagerId && r.originatingWorkerId !== deputyId,
  );
  const owed: OutboxMessageInput[] = [];
  for (const { id } of waiting) {
    // Locked, so two sweeps (or instances) cannot both find the card unsent.
    const request = await uow.requests.getForUpdate(id);
    if (!request || request.state !== 'awaiting_team_manager' || request.teamManagerId !== teamManagerId) continue;
    const sent = (await uow.outbox.listForRequest(request.id)).some((m) => m.kind === 'agree_request' && m.recipientId === deputyId && m.payload.version === request.version);
    if (sent) continue;
    owed.push({
      requestId: request.id,
      recipientId: deputyId,
      kind: 'agree_request',
      payload: { reference: request.reference, state: request.state, version: request.version, deputyFor: teamManagerId },
    });
  }
  return owed;
}
