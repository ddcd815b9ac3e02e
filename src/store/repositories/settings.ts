import type { Kysely } from 'kysely';
import type { SettingsRepository } from '../../app/ports';
import { defaultPilotSettings } from '../../domain/pilot';
import type { Database } from '../schema';

/** The pilot's register: "a small register of trained staff (six in the pilot)". */
export const DEFAULT_ACCESS_WORKER_REGISTER_LIMIT = defaultPilotSettings('2000-01-01').registerSize;

/**
 * The register's limit is one of the pilot settings (one row, `pilot_settings`), whether an
 * administrator sets it on the administration page or with the rest of the pilot's settings
 * (both write through the pilot settings repository).
 */
export function createSettingsRepository(db: Kysely<Database>): SettingsRepository {
  return {
    async accessWorkerRegisterLimit() {
      const row = await db.selectFrom('pilot_settings').select('register_size').where('id', '=', 1).executeTakeFirst();
      return row?.register_size ?? DEFAULT_ACCESS_WORKER_REGISTER_LIMIT;
    },
  };
}
