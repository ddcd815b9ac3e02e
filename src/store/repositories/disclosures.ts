import { sql, type Kysely } from 'kysely';
import type { DisclosureRepository } from '../../app/ports';
import type { Database } from '../schema';

/** `%term%` for ILIKE, with the pattern characters in the term taken literally. */
const contains = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createDisclosureRepository(db: Kysely<Database>): DisclosureRepository {
  return {
    async candidateRequestIds(terms) {
      if (terms.length === 0) return [];
      const patterns = terms.map(contains);
      // A coarse text search narrows 100,000 requests to a few; the domain then decides who is the person.
      const { rows } = await sql<{ id: string }>`
        select r.id from investigation_requests r
        where r.form::text ilike any(${patterns}::text[]) or coalesce(r.log::text, '') ilike any(${patterns}::text[])
        union
        select e.request_id from evidence_items e
        where e.description ilike any(${patterns}::text[]) or e.source_url ilike any(${patterns}::text[])
        union
        select a.request_id from audit_entries a
        where a.request_id is not null and (coalesce(a.reason, '') ilike any(${patterns}::text[]) or coalesce(a.detail::text, '') ilike any(${patterns}::text[]))`.execute(db);
      return rows.map((r) => r.id);
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
