/** A team manager ends their deputy's period early; the deputyship is kept on record. */
import { notFound } from '../../domain/errors';
import { londonDate } from '../../domain/dates';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';

export async function endDeputy(deps: AppDeps, caller: Caller, deputyshipId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (uow) => {
    const current = (await uow.deputies.currentAndComing(caller.person.id, londonDate(now))).find((d) => d.id === deputyshipId);
    if (!current) throw notFound('You have no current deputy with that id.');
    await uow.deputies.end(current.id, now.toISOString());
    await uow.audit.append({
      at: now.toISOString(),
      actorId: caller.person.id,
      actorRole: 'team_manager',
      action: 'deputy_ended',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { deputyshipId: current.id, deputyId: current.deputyId, from: current.from, to: current.to },
      httpRequestId: caller.requestId,
    });
  });
}
