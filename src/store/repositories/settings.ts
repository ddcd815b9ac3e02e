import type { Kysely } from 'kysely';
import type { SettingsRepository } from '../../app/ports';
import { londonDate } from '../../domain/dates';
import { defaultPilotSettings } from '../../domain/pilot';
import type { Database } from '../schema';

/** The pilot's register: "a small register of trained staff (six in the pilot)". */
export const DEFAULT_ACCESS_WORKER_REGISTER_LIMIT = defaultPilotSettings('2000-01-01').registerSize;

/**
 * The register's limit is one of the pilot settings (one row, `pilot_settings`), whether an
 * administrator sets it on the administration page or with the rest of the pilot's settings.
 */
export function createSettingsRepository(db: Kysely<Database>): SettingsRepository {
  return {
    async accessWorkerRegisterLimit() {
      const row = await db.selectFrom('pilot_settings').select('register_size').where('id', '=', 1).executeTakeFirst();
      return row?.register_size ?? DEFAULT_ACCESS_WORKER_REGISTER_LIMIT;
    },
    async setAccessWorkerRegisterLimit(limit, by, at) {
      const defaults = defaultPilotSettings(londonDate(at));
      const changed = { register_size: limit, updated_at: at.toISOString(), updated_by: by };
      await db
        .insertInto('pilot_settings')
        .values({ id: 1, start_date: defaults.startDate, length_months: defaults.lengthMonths, platforms: defaults.platforms, ...changed })
        .onConflict((oc) => oc.column('id').doUpdateSet(changed))
        .execute();
    },
  };
}
