import type { Kysely } from 'kysely';
import type { SettingsRepository } from '../../app/ports';
import type { Database } from '../schema';

/** The pilot's register: "a small register of trained staff (six in the pilot)". */
export const DEFAULT_ACCESS_WORKER_REGISTER_LIMIT = 6;

export function createSettingsRepository(db: Kysely<Database>): SettingsRepository {
  return {
    async accessWorkerRegisterLimit() {
      const row = await db.selectFrom('app_settings').select('value').where('key', '=', 'access_worker_register_limit').executeTakeFirst();
      return typeof row?.value === 'number' ? row.value : DEFAULT_ACCESS_WORKER_REGISTER_LIMIT;
    },
    async setAccessWorkerRegisterLimit(limit, by, at) {
      const row = { value: JSON.stringify(limit), updated_at: at.toISOString(), updated_by: by };
      await db
        .insertInto('app_settings')
        .values({ key: 'access_worker_register_limit', ...row })
        .onConflict((oc) => oc.column('key').doUpdateSet(row))
        .execute();
    },
  };
}
