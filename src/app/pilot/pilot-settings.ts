/** The pilot settings: read by anyone signed in, changed by an administrator, every change audited. */
import { londonDate } from '../../domain/dates';
import { parseForm } from '../../domain/forms';
import { defaultPilotSettings, pilotEndDate, pilotSettingsSchema, type PilotSettings } from '../../domain/pilot';
import type { AppDeps } from '../deps';
import type { Caller, UnitOfWork } from '../ports';
import { assertMay } from '../gate';

export async function currentPilotSettings(uow: UnitOfWork, today: string): Promise<PilotSettings> {
  return (await uow.pilotSettings.get()) ?? defaultPilotSettings(today);
}

export async function getPilotSettings(deps: AppDeps, _caller: Caller) {
  const settings = await currentPilotSettings(deps.store.read, londonDate(deps.clock.now()));
  return { ...settings, endDate: pilotEndDate(settings) };
}

export async function updatePilotSettings(deps: AppDeps, caller: Caller, input: unknown) {
  await assertMay(deps, caller, 'manage-pilot-settings');
  const settings = parseForm(pilotSettingsSchema, input);
  const now = deps.clock.now();
  await deps.store.transaction(async (uow) => {
    const before = await uow.pilotSettings.get();
    await uow.pilotSettings.put(settings, now.toISOString(), caller.person.id);
    await uow.audit.append({
      at: now.toISOString(),
      actorId: caller.person.id,
      actorRole: 'administrator',
      action: 'update_pilot_settings',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { before, after: settings },
      httpRequestId: caller.requestId,
    });
  });
  return { ...settings, endDate: pilotEndDate(settings) };
}
