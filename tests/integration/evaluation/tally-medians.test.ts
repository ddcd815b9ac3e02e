/**
 * The tallies' medians, least and greatest (read in index order, migration 082) equal what
 * percentile_cont, min and max give over the projection's rows, for odd and even counts, a team
 * and the period's edges; and the narrow rows the counts come from follow the projection as it is
 * written, unsubmitted and deleted. On PGlite and on a PostgreSQL server.
 */
import { sql } from 'kysely';
import { tallyQuery, type Distribution, type TallyQuery } from '../../../src/domain/evaluation';
import { CONTRIBUTIONS } from '../../../src/domain/forms';
import { projectPendingEvaluation, type SqlStore } from '../../../src/store';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { fullRequest } from '../../support/store-fixtures';

const GAPS = ['submitted_agreed_ms', 'agreed_authorised_ms', 'authorised_claimed_ms', 'claimed_searched_ms', 'searched_finalised_ms', 'finalised_shared_ms'] as const;
const QUERY = tallyQuery({ from: '2026-06-01', to: '2026-06-30', now: new Date('2026-11-30T12:00:00Z'), followUpDays: 182 });

/** Values that repeat nothing from one run to the next but are the same every run. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe.each(BACKENDS)('tally medians on %s', (backend) => {
  let store: SqlStore;
  const ids: string[] = [];
  beforeAll(async () => {
    store = await openFreshStore(backend);
    const next = sequence(7);
    for (let i = 0; i < 27; i += 1) {
      const request = fullRequest({ authorisation: null });
      await store.read.requests.insert(request);
      // Its row is projected after the insert commits; the test then writes the row as it wants it.
      await projectPendingEvaluation(store.db);
      ids.push(request.id);
      // Some on the period's last London day, some just after it, some gaps and times missing or repeated.
      const submitted = i % 9 === 8 ? '2026-06-30T23:30:00.000Z' : i % 9 === 7 ? '2026-06-30T22:30:00.000Z' : `2026-06-${String(2 + (i % 20)).padStart(2, '0')}T09:00:00.000Z`;
      const gap = () => (next() < 0.2 ? null : i % 5 === 0 ? 3_600_000 : Math.round(next() * 1e9) / 7);
      const sessions = next() < 0.3 ? 0 : 1 + Math.floor(next() * 3);
      await store.db
        .updateTable('evaluation_facts')
        .set({
          submitted_at: submitted,
          team: i % 3 === 0 ? 'South' : i % 3 === 1 ? 'North' : null,
          state: 'shared',
          ...Object.fromEntries(GAPS.map((g) => [g, gap()])),
          search_seconds: sessions === 0 ? 0 : Math.floor(next() * 20_000),
          search_sessions: sessions,
          contribution: CONTRIBUTIONS[i % (CONTRIBUTIONS.length + 1)] ?? null,
        })
        .where('request_id', '=', request.id)
        .execute();
    }
  });
  afterAll(async () => {
    await store?.close();
  });

  /** percentile_cont, min and max over the projection's rows, as a reference. */
  async function expected(query: TallyQuery, column: string, where: string): Promise<Distribution> {
    const { rows } = await sql<{ count: string; median: number | null; min: number | null; max: number | null }>`
      select count(*) as count, percentile_cont(0.5) within group (order by ${sql.ref(column)}) as median, min(${sql.ref(column)}) as min, max(${sql.ref(column)}) as max
      from evaluation_facts
      where ${sql.raw(where)} and ${sql.ref(column)} is not null
        and submitted_at >= (${query.from}::date)::timestamp at time zone 'Europe/London'
        and submitted_at < ((${query.to}::date + 1)::timestamp at time zone 'Europe/London')
        and (${query.team ?? null}::text is null or coalesce(team, 'No team recorded') = ${query.team ?? null})`.execute(store.db);
    const r = rows[0];
    return { count: Number(r?.count), median: r?.median ?? null, min: r?.min ?? null, max: r?.max ?? null };
  }

  async function compare(query: TallyQuery): Promise<void> {
    const tallies = await store.evaluation.tallies(query);
    expect(tallies.search.perRequestSeconds).toEqual(await expected(query, 'search_seconds', 'search_sessions > 0'));
    for (const [i, g] of GAPS.entries()) expect(tallies.turnaroundMs[i]).toEqual(await expected(query, g, 'true'));
    for (const c of CONTRIBUTIONS) {
      const { count, median } = await expected(query, 'search_seconds', `contribution = '${c}'`);
      expect(tallies.value.contribution[c]).toEqual({ requests: count, medianSearchSeconds: median });
    }
  }

  test('equal percentile_cont, min and max for every team and for one, with odd and even counts', async () => {
    await compare(QUERY);
    await compare({ ...QUERY, team: 'North' });
    await compare({ ...QUERY, team: 'No team recorded' });
    await sql`delete from investigation_requests where id = ${ids[4]}`.execute(store.db);
    await compare(QUERY);
    await compare({ ...QUERY, team: 'South' });
  });

  test('the counts follow the projection when it is rewritten, unsubmitted or deleted', async () => {
    const requests = async () => (await store.evaluation.tallies(QUERY)).requests;
    const before = await requests();
    await store.db.updateTable('evaluation_facts').set({ submitted_at: '2026-07-02T09:00:00.000Z' }).where('request_id', '=', ids[0] as string).execute();
    expect(await requests()).toBe(before - 1);
    await store.db.updateTable('evaluation_facts').set({ submitted_at: null }).where('request_id', '=', ids[1] as string).execute();
    expect(await requests()).toBe(before - 2);
    await store.db.updateTable('evaluation_facts').set({ submitted_at: '2026-06-10T09:00:00.000Z', state: 'declined', closing_action: 'decline', closing_reason: 'Not now' }).where('request_id', '=', ids[1] as string).execute();
    const tallies = await store.evaluation.tallies(QUERY);
    expect(tallies.requests).toBe(before - 1);
    expect(tallies.reasons).toEqual([{ state: 'declined', closingAction: 'decline', reason: 'Not now', requests: 1 }]);
    await sql`delete from investigation_requests where id = ${ids[2]}`.execute(store.db);
    expect(await requests()).toBe(before - 2);
  });
});
