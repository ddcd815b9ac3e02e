/**
 * When a deputy's period begins, the requests already waiting for their team manager go to them
 * too: the sweep sends each card owed, once.
 */
import { londonDate } from '../../domain/dates';
import type { AppDeps } from '../deps';
import { deputyCardsOwed } from './standing-in';

export async function sendDeputyCards(deps: AppDeps): Promise<number> {
  const today = londonDate(deps.clock.now());
  let written = 0;
  for (const deputyship of await deps.store.read.deputies.allInForce(today)) {
    written += await deps.store.transaction(async (uow) => {
      const owed = await deputyCardsOwed(uow, deputyship.teamManagerId, deputyship.deputyId);
      if (owed.length > 0) await uow.outbox.add(owed);
      return owed.length;
    });
  }
  return written;
}
