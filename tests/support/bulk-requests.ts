/**
 * Writes many requests straight into the store, for tests about lists of thousands: the API would
 * take minutes, and even one insert per row takes most of a test's time limit on PGlite.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withSubjectIds } from '../../src/app/requests/create-request';
import { investigationRequestSchema, parseForm } from '../../src/domain/forms';
import { newDraft } from '../../src/domain/request';
import type { SqlStore } from '../../src/store';

const FORM = withSubjectIds(
  parseForm(investigationRequestSchema, {
    caseReference: 'CM-2002',
    children: [{ name: 'Child C', dateOfBirth: '2014-03-02' }],
    concernCategories: ['relationship_with_abusive_adult'],
    concernDetails: 'A draft written in bulk',
    justification: 'A draft written in bulk',
    subjects: [{ kind: 'service_user', name: 'Sam Roe', relationshipToChild: 'Father' }],
    period: { from: '2026-06-01', to: '2026-11-01' },
    monitoring: null,
    neededBy: '2026-12-20',
  }),
);

/** The columns a copy of a draft takes unchanged from the first draft. */
const COPIED = [
  'state',
  'version',
  'case_reference',
  'originating_worker_id',
  'team_manager_id',
  'designated_access_worker_id',
  'access_worker_id',
  'linked_from_request_id',
  'form',
  'agreement',
  'authorisation',
  'doubt_resolvers',
  'state_before_hold',
  'last_reason',
  'first_search_started_at',
  'log',
  'feedback',
  'shared_with',
  'submitted_at',
  'closed_at',
] as const;

/**
 * Inserts `count` drafts by `originatingWorkerId`, `perInstant` of them sharing each creation time
 * (so a list's order must break ties), starting at `from` and one second apart. Returns their ids,
 * in no particular order.
 *
 * The first draft goes through the store's own repository, so its row is what the application
 * writes; the rest are copies of that row made in one statement, each with its own id, reference
 * (taken from the same counter the application uses) and creation time.
 */
export async function insertDrafts(store: SqlStore, originatingWorkerId: string, count: number, from: Date, perInstant = 1): Promise<string[]> {
  if (count < 1) return [];
  const year = from.getUTCFullYear();
  const first = await store.transaction(async (uow) => {
    const draft = newDraft({ id: randomUUID(), reference: await uow.requests.nextReference(year), form: FORM, originatingWorkerId, linkedFromRequestId: null, at: from.toISOString() });
    await uow.requests.insert(draft);
    return draft;
  });
  const copies = count - 1;
  if (copies === 0) return [first.id];
  const copied = await store.db.transaction().execute(async (trx) => {
    const { last_number: last } = await trx
      .updateTable('request_reference_counters')
      .set({ last_number: sql<number>`last_number + ${copies}` })
      .where('year', '=', year)
      .returning('last_number')
      .executeTakeFirstOrThrow();
    const before = last - copies;
    return trx
      .insertInto('investigation_requests')
      .columns(['id', 'reference', 'created_at', 'updated_at', ...COPIED])
      .expression(
        trx
          .selectFrom(['investigation_requests', sql<{ n: number }>`generate_series(1, ${copies}::int)`.as('n')])
          .where('investigation_requests.id', '=', first.id)
          .select([
            sql<string>`gen_random_uuid()::text`.as('id'),
            sql<string>`${`SMC-${year}-`} || lpad((${before}::int + n.n)::text, 6, '0')`.as('reference'),
            sql<string>`${from.toISOString()}::timestamptz + floor(n.n::float / ${perInstant}::int) * interval '1 second'`.as('created_at'),
            sql<string>`${from.toISOString()}::timestamptz + floor(n.n::float / ${perInstant}::int) * interval '1 second'`.as('updated_at'),
            ...COPIED,
          ]),
      )
      .returning('id')
      .execute();
  });
  return [first.id, ...copied.map((r) => r.id)];
}
