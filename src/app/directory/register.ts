/** The access worker register as administrators see it: who is on it, their dates, and the pilot's limit. */
import { londonDate } from '../../domain/dates';
import { accessWorkerStanding, type Person } from '../../domain/roles';
import type { UnitOfWork } from '../ports';

export type RegisterStatus = 'authorised' | 'not_trained' | 'ended';

/**
 * An access worker may act once their training is recorded and reached, until their authorisation
 * ends; no end date recorded means no end.
 */
export function registerStatus(person: Person, today: string): RegisterStatus {
  const standing = accessWorkerStanding(person, today);
  if (standing === 'untrained' || standing === 'not_yet_trained') return 'not_trained';
  return standing === 'ended' ? 'ended' : 'authorised';
}

export async function readRegister(uow: UnitOfWork, now: Date) {
  const today = londonDate(now);
  const workers = (await uow.directory.withRole('access_worker')).filter((p) => p.active);
  const entries = workers.map((p) => ({
    id: p.id,
    displayName: p.displayName,
    trainedOn: p.accessWorkerTrainedOn ?? null,
    authorisedUntil: p.accessWorkerAuthorisedUntil ?? null,
    status: registerStatus(p, today),
  }));
  const limit = await uow.settings.accessWorkerRegisterLimit();
  return { limit, authorised: entries.filter((e) => e.status === 'authorised').length, entries };
}
