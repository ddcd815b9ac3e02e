/** The pilot settings: read by anyone signed in, changed by an administrator, every change audited. */
import { londonDate } from '../../domain/dates';
import { parseForm } from '../../domain/forms';
import { defaultPilotSettings, pilotEndDate, pilotSettingsSchema, type PilotSettings, type Platform } from '../../domain/pilot';
import type { AppDeps } from '../deps';
import type { Caller, UnitOfWork } from '../ports';
import { assertMay } from '../gate';

/**
 * The settings in force: the stored ones, or until an administrator first saves them the defaults
 * with the platforms configured as the seed (PILOT_PLATFORMS). The stored settings are the one
 * source of truth for the platforms in scope.
 */
export async function currentPilotSettings(deps: Pick<AppDeps, 'settings'>, uow: UnitOfWork, today: string): Promise<PilotSettings> {
  return (await uow.pilotSettings.get()) ?? defaultPilotSettings(today, deps.settings.pilotPlatforms);
}

/** The platforms links must be on: the pilot settings'. */
export async function platformsInScope(deps: AppDeps): Promise<readonly Platform[]> {
  return (await currentPilotSettings(deps, deps.store.read, londonDate(deps.clock.now()))).platforms;
}

export async function getPilotSettings(deps: AppDeps, _caller: Caller) {
  const settings = await currentPilotSettings(deps, deps.store.read, londonDate(deps.clock.now()));
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
