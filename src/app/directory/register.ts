/** The access worker register as administrators see it: who is on it, their dates, and the pilot's limit. */
import { londonDate } from '../../domain/dates';
import type { Person } from '../../domain/roles';
import type { UnitOfWork } from '../ports';

export type RegisterStatus = 'authorised' | 'ended';

/** An access worker may act while their authorisation has not ended; no end date recorded means no end. */
export function registerStatus(person: Person, today: string): RegisterStatus {
  return !person.accessWorkerAuthorisedUntil || person.accessWorkerAuthorisedUntil >= today ? 'authorised' : 'ended';
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
