/**
 * An administrator records an access worker's training and authorisation dates. Who is an access
 * worker comes from the directory; the dates are kept here. Refused if it would put more workers on
 * the register than its limit allows.
 */
import { z } from 'zod';
import { invalidState, notFound, validationError } from '../../domain/errors';
import { parseForm } from '../../domain/forms';
import { assertMay } from '../gate';
import { hasRole } from '../../domain/roles';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { readRegister, registerStatus } from './register';
import { flagRequestsHeld } from './flag-requests-held';
import { inServiceRange, londonDate } from '../../domain/dates';

const date = (what: string) => z.iso.date({ error: `Enter ${what} as a real date (YYYY-MM-DD).` }).refine(inServiceRange, { error: `Enter ${what} between 1900 and 2999.` }).nullable();
export const registerEntrySchema = z.object({
  trainedOn: date('the date of training'),
  authorisedUntil: date('the date the authorisation ends'),
});

export async function updateRegisterEntry(deps: AppDeps, caller: Caller, personId: string, body: unknown) {
  await assertMay(deps, caller, 'keep-register');
  const input = parseForm(registerEntrySchema, body ?? {});
  if (input.trainedOn && input.authorisedUntil && input.authorisedUntil < input.trainedOn) {
    throw validationError({ authorisedUntil: 'The authorisation cannot end before the training date.' });
  }
  const now = deps.clock.now();
  return deps.store.transaction(async (uow) => {
    // Locked: a directory sync that disables or removes this person meanwhile waits, or has already
    // committed and is seen here.
    const person = await uow.people.getForUpdate(personId);
    if (!person || !person.active || !hasRole(person, 'access_worker')) {
      throw notFound('No access worker with that id: people join the register through the access worker group in Entra ID.');
    }
    const after = { ...person, accessWorkerTrainedOn: input.trainedOn, accessWorkerAuthorisedUntil: input.authorisedUntil };
    const today = londonDate(now);
    const register = await readRegister(uow, now);
    if (registerStatus(person, today) !== 'authorised' && registerStatus(after, today) === 'authorised' && register.authorised >= register.limit) {
      throw invalidState(`The register already has ${register.authorised} authorised access workers, its limit of ${register.limit}. End someone's authorisation or raise the limit first.`);
    }
    await uow.people.setRegisterDates(person.id, { trainedOn: input.trainedOn, authorisedUntil: input.authorisedUntil });
    // Requests this worker holds are no longer in hands that may act: the service managers are told.
    const flagged = registerStatus(person, today) === 'authorised' && registerStatus(after, today) !== 'authorised' ? await flagRequestsHeld(uow, after, ['access_worker'], now.toISOString(), { actorId: caller.person.id, actorRole: 'administrator', httpRequestId: caller.requestId }) : 0;
    await uow.audit.append({
      at: now.toISOString(),
      actorId: caller.person.id,
      actorRole: 'administrator',
      action: 'register_entry_changed',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: {
        personId: person.id,
        before: { trainedOn: person.accessWorkerTrainedOn ?? null, authorisedUntil: person.accessWorkerAuthorisedUntil ?? null },
        after: { trainedOn: input.trainedOn, authorisedUntil: input.authorisedUntil },
        flaggedRequests: flagged,
      },
      httpRequestId: caller.requestId,
    });
    return readRegister(uow, now);
  });
}
