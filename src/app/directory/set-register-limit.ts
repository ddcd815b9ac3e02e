/** An administrator sets how many access workers the register may hold (six in the pilot). */
import { z } from 'zod';
import { londonDate } from '../../domain/dates';
import { parseForm } from '../../domain/forms';
import { currentPilotSettings } from '../pilot/pilot-settings';
import { assertMay } from '../gate';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { readRegister } from './register';

export const registerLimitSchema = z.object({
  limit: z.number({ error: 'Enter the limit as a whole number.' }).int({ error: 'Enter the limit as a whole number.' }).min(1, { error: 'The register needs room for at least one access worker.' }).max(100, { error: 'Enter at most 100.' }),
});

export async function setRegisterLimit(deps: AppDeps, caller: Caller, body: unknown) {
  await assertMay(deps, caller, 'keep-register');
  const { limit } = parseForm(registerLimitSchema, body ?? {});
  const now = deps.clock.now();
  return deps.store.transaction(async (uow) => {
    const current = await currentPilotSettings(deps, uow, londonDate(now));
    const before = current.registerSize;
    await uow.pilotSettings.put({ ...current, registerSize: limit }, now.toISOString(), caller.person.id);
    await uow.audit.append({
      at: now.toISOString(),
      actorId: caller.person.id,
      actorRole: 'administrator',
      action: 'register_limit_changed',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { before, after: limit },
      httpRequestId: caller.requestId,
    });
    return readRegister(uow, now);
  });
}
