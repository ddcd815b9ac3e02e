/**
 * An administrator puts a person on the access-worker register (trained on, authorised until).
 * The pilot's register size is enforced: while it is full, no further access worker is authorised.
 */
import { z } from 'zod';
import { londonDate } from '../../domain/dates';
import { forbidden, notFound, validationError } from '../../domain/errors';
import { parseForm } from '../../domain/forms';
import { onRegister, registerFull } from '../../domain/pilot';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { gate } from '../evaluation/gate';
import { currentPilotSettings } from './pilot-settings';

const bodySchema = z
  .object({
    trainedOn: z.iso.date({ error: 'Enter the training date as a real date (YYYY-MM-DD).' }),
    authorisedUntil: z.iso.date({ error: 'Enter the end of the authorisation as a real date (YYYY-MM-DD).' }),
  })
  .refine((b) => b.trainedOn <= b.authorisedUntil, { path: ['authorisedUntil'], message: 'The authorisation must end after the training.' });

export async function authoriseAccessWorker(deps: AppDeps, caller: Caller, personId: string, input: unknown) {
  await gate(deps, caller, 'manage_pilot_settings');
  const body = parseForm(bodySchema, input);
  const now = deps.clock.now();
  const today = londonDate(now);
  if (body.authorisedUntil < today) throw validationError({ authorisedUntil: 'The authorisation must not already have ended.' });
  return deps.store.transaction(async (uow) => {
    const person = await uow.directory.get(personId);
    if (!person || !person.active) throw notFound('No active person with that id.');
    const settings = await currentPilotSettings(uow, today);
    const full = registerFull(onRegister(await uow.directory.withRole('access_worker'), today), person.id, settings);
    if (full) throw forbidden(full);
    const updated = {
      ...person,
      roles: person.roles.includes('access_worker') ? person.roles : [...person.roles, 'access_worker' as const],
      accessWorkerTrainedOn: body.trainedOn,
      accessWorkerAuthorisedUntil: body.authorisedUntil,
    };
    await uow.people.upsert(updated);
    await uow.audit.append({
      at: now.toISOString(),
      actorId: caller.person.id,
      actorRole: 'administrator',
      action: 'authorise_access_worker',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { personId: person.id, trainedOn: body.trainedOn, authorisedUntil: body.authorisedUntil, registerSize: settings.registerSize },
      httpRequestId: caller.requestId,
    });
    return { id: updated.id, displayName: updated.displayName, accessWorkerTrainedOn: body.trainedOn, accessWorkerAuthorisedUntil: body.authorisedUntil };
  });
}
