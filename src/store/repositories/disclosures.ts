import type { Kysely } from 'kysely';
import type { DisclosureRepository } from '../../app/ports';
import type { Database } from '../schema';

export function createDisclosureRepository(db: Kysely<Database>): DisclosureRepository {
  return {
    async candidateRequestIds(keys) {
      if (keys.length === 0) return [];
      const rows = await db.selectFrom('disclosure_keys').select('request_id').distinct().where('match_key', 'in', keys).execute();
      return rows.map((r) => r.request_id);
    },
    async insert(record) {
      await db
        .insertInto('disclosures')
        .values({ id: record.id, requested_by: record.requestedBy, requested_at: record.requestedAt, query: JSON.stringify(record.query), matches: JSON.stringify(record.matches) })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('disclosures').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? { id: row.id, requestedBy: row.requested_by, requestedAt: row.requested_at, query: row.query, matches: row.matches } : null;
    },
  };
}
