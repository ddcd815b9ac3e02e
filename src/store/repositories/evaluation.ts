/**
 * The evaluation read model over the projection kept by migration 080 (evaluation_facts: one row
 * per request, its steps' times from the audit trail, its search time from the measured sessions).
 * The figures' counts, sums and medians are taken here in one statement, so 100,000 requests never
 * leave the database; the domain (evaluation.ts) turns them into the figures.
 *
 * The rows are rebuilt after their writes commit (migration 085): every read first projects what is
 * still noted, so the figures include every decision committed before the read began.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { EvaluationReadModel } from '../../app/ports';
import { MILESTONES, NO_TEAM, NOT_PROCEEDING_STATES, REASONS_SHOWN, type EvaluationRow, type EvaluationTallies, type Milestone, type TallyQuery } from '../../domain/evaluation';
import { CONTRIBUTIONS, type Contribution } from '../../domain/forms';
import type { RequestState } from '../../domain/states';
import { createPoller, type Poller, type PollerOptions } from '../poller';
import type { Database } from '../schema';

interface Raw {
  id: string;
  reference: string;
  team: string | null;
  originating_worker_id: string;
  access_worker_id: string | null;
  state: string;
  closing_action: string | null;
  closing_reason: string | null;
  kind: string | null;
  submitted: string | null;
  agreed: string | null;
  authorised: string | null;
  claimed: string | null;
  searched: string | null;
  finalised: string | null;
  shared: string | null;
  search_seconds: number | string;
  search_sessions: number | string;
  useful_pieces: number | null;
  unique_pieces: number | null;
  contribution: string | null;
  feedback_given: boolean;
  follow_up: string | null;
}

const iso = (value: string | null): string | undefined => (value ? new Date(value).toISOString() : undefined);

function toRow(raw: Raw): EvaluationRow {
  const milestones: Partial<Record<Milestone, string>> = {};
  for (const key of MILESTONES) {
    const at = iso(raw[key]);
    if (at) milestones[key] = at;
  }
  return {
    requestId: raw.id,
    reference: raw.reference,
    team: raw.team,
    originatingWorkerId: raw.originating_worker_id,
    accessWorkerId: raw.access_worker_id,
    state: raw.state as RequestState,
    closingAction: raw.closing_action,
    closingReason: raw.closing_reason,
    kind: raw.kind === 'one_off' || raw.kind === 'monitoring' ? raw.kind : null,
    milestones,
    searchSeconds: Number(raw.search_seconds),
    searchSessions: Number(raw.search_sessions),
    usefulPieces: raw.useful_pieces === null ? null : Number(raw.useful_pieces),
    uniquePieces: raw.unique_pieces === null ? null : Number(raw.unique_pieces),
    contribution: raw.contribution as Contribution | null,
    feedbackGiven: raw.feedback_given,
    followUp: raw.follow_up as Contribution | null,
  };
}

/** Submitted within the period: London dates turned into instants once, so the index on submitted_at serves. */
const inPeriod = (from: string, to: string) =>
  sql`e.submitted_at >= (${from}::date)::timestamp at time zone 'Europe/London'
    and e.submitted_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')`;

type Totals = Pick<EvaluationTallies, 'requests' | 'search' | 'turnaroundMs' | 'value' | 'followUp'>;

/** One row of the grouped counts: which grouping it belongs to, its key and its sums. */
interface Group {
  set: 'team' | 'month' | 'worker' | 'state' | 'reason';
  team: string | null;
  month: string | null;
  accessWorkerId: string | null;
  state: RequestState;
  closingAction: string | null;
  reason: string | null;
  requests: number;
  completed: number;
  searchSeconds: number;
  uniquePieces: number;
  considerableOrSignificant: number;
}

interface TalliesRaw {
  totals: Totals;
  groups: Group[];
  /** Asked only when one team is: otherwise the teams grouping already names every team. */
  teams: string[] | null;
}

/**
 * Every tally in one statement, from the projection's narrow rows (migration 082) rather than its
 * wide ones. One grouped pass over the period's rows sums them per profile (the combination of
 * team, month, worker, outcome, contribution, … that the figures count by), with the follow-up's
 * due line and the time buckets, which depend on the query; the totals and every grouping are
 * then taken over those few sums. A median, least and greatest are read in order from a partial
 * index over the wide rows: the median is the middle one or two of the index-only scan, found
 * from the count, and averaged as percentile_cont(0.5) does (lo + (hi - lo) * 0.5).
 */
export function talliesQuery(query: TallyQuery): RawBuilder<TalliesRaw> {
  const period = sql`submitted_at >= (${query.from}::date)::timestamp at time zone 'Europe/London'
    and submitted_at < ((${query.to}::date + 1)::timestamp at time zone 'Europe/London')`;
  const team = sql`coalesce(team, ${NO_TEAM})`;
  const forTeam = query.team === undefined ? sql`true` : sql`${team} = ${query.team}`;
  const assessed = sql`contribution is not null`;
  const completed = sql`state in ('shared', 'closed')`;
  const sum = (value: RawBuilder<unknown>, where?: RawBuilder<unknown>) => sql`coalesce(sum(${value})${where ? sql` filter (where ${where})` : sql``}, 0)`;
  const requests = (where?: RawBuilder<unknown>) => sum(sql`n`, where);
  const gapColumns = MILESTONES.slice(1).map((to, i) => `${MILESTONES[i] as Milestone}_${to}_ms`);
  const gapMeasured = (i: number) => sql`gaps & ${sql.lit(1 << i)} <> 0`;
  const bounds = query.bucketBoundsSeconds;
  // The counts the medians are taken at: name, and which of the period's requests it counts.
  const counted: [string, RawBuilder<unknown>][] = [
    ['searched', sql`searched`],
    ...gapColumns.map((g, i): [string, RawBuilder<unknown>] => [g, gapMeasured(i)]),
    ...CONTRIBUTIONS.map((c): [string, RawBuilder<unknown>] => [`contribution_${c}`, sql`contribution = ${c}`]),
  ];
  const count = (name: string) => sql`(select ${sql.ref(name)} from c)`;
  const rows = (where: RawBuilder<unknown>) => sql`from evaluation_facts where ${where} and ${period} and ${forTeam}`;
  /** The median of a column over the period's wide rows passing `where`: the middle of them in index order. */
  const median = (counter: string, column: string, where: RawBuilder<unknown>) => {
    const c = sql.ref(column);
    return sql`(select case when ${count(counter)} % 2 = 1 then min(v) else min(v) + (max(v) - min(v)) * 0.5::float8 end
      from (select ${c} as v ${rows(where)} order by ${c} offset greatest((${count(counter)} - 1) / 2, 0) limit 2) m)`;
  };
  const distribution = (counter: string, column: string, where: RawBuilder<unknown>) => {
    const c = sql.ref(column);
    return sql`jsonb_build_object('count', ${count(counter)}, 'median', ${median(counter, column, where)},
      'min', (select ${c} ${rows(where)} order by ${c} limit 1), 'max', (select ${c} ${rows(where)} order by ${c} desc limit 1))`;
  };
  const byContribution = (value: (c: Contribution) => RawBuilder<unknown>) =>
    sql`jsonb_build_object(${sql.join(CONTRIBUTIONS.map((c) => sql`${sql.lit(c)}::text, ${value(c)}`))})`;
  const due = sql`${completed} and due`;
  return sql<TalliesRaw>`
    with p as materialized (
      select profile_id, shared_at <= ${query.followUpDueBefore.toISOString()}::timestamptz as due,
        width_bucket(search_seconds, ${bounds}::float8[]) as bucket,
        count(*) as n, sum(search_seconds) as seconds, sum(search_sessions) as sessions, sum(useful_pieces) as useful, sum(unique_pieces) as uniq
      from evaluation_tally_rows where ${period}
      group by 1, 2, 3),
    a as materialized (
      select ${team} as team, pr.submitted_month, pr.access_worker_id, pr.state, pr.closing_action, pr.closing_reason, pr.contribution, pr.follow_up,
        pr.searched, pr.with_unique_pieces, pr.gaps, p.due, p.bucket, p.n, p.seconds, p.sessions, p.useful, p.uniq
      from p join evaluation_profiles pr on pr.id = p.profile_id),
    f as materialized (select * from a where ${forTeam}),
    c as materialized (select ${sql.join(counted.map(([name, where]) => sql`${requests(where)}::bigint as ${sql.ref(name)}`))} from f)
    select
      (select jsonb_build_object(
        'requests', ${requests()},
        'search', jsonb_build_object('seconds', ${sum(sql`seconds`)}, 'sessions', ${sum(sql`sessions`)},
          'perRequestSeconds', ${distribution('searched', 'search_seconds', sql`search_sessions > 0`)},
          'buckets', jsonb_build_array(${sql.join([...bounds, null].map((_, i) => requests(sql`searched and bucket = ${sql.lit(i)}`)))})),
        'turnaroundMs', jsonb_build_array(${sql.join(gapColumns.map((g) => distribution(g, g, sql`${sql.ref(g)} is not null`)))}),
        'value', jsonb_build_object(
          'assessed', ${requests(assessed)},
          'usefulPieces', ${sum(sql`useful`, assessed)},
          'uniquePieces', ${sum(sql`uniq`, assessed)},
          'requestsWithUniquePieces', ${requests(sql`${assessed} and with_unique_pieces`)},
          'assessedSearchSeconds', ${sum(sql`seconds`, assessed)},
          'contribution', ${byContribution(
            (c) => sql`jsonb_build_object('requests', ${count(`contribution_${c}`)},
              'medianSearchSeconds', ${median(`contribution_${c}`, 'search_seconds', sql`contribution = ${c}`)})`,
          )}),
        'followUp', jsonb_build_object(
          'due', ${requests(due)},
          'given', ${requests(sql`follow_up is not null`)},
          'outstanding', ${requests(sql`${due} and follow_up is null`)},
          'longerTermUsefulness', ${byContribution((c) => requests(sql`follow_up = ${c}`))}))
      from f) as totals,
      (select coalesce(jsonb_agg(to_jsonb(g)), '[]'::jsonb) from (
        select *, row_number() over (partition by "set", state, "closingAction" order by requests desc, reason) as rank from (
          select case when grouping(team) = 0 then 'team' when grouping(submitted_month) = 0 then 'month'
              when grouping(access_worker_id) = 0 then 'worker' when grouping(closing_reason) = 0 then 'reason' else 'state' end as "set",
            team, submitted_month as month, access_worker_id as "accessWorkerId", state, closing_action as "closingAction", closing_reason as reason,
            ${requests()} as requests, ${requests(completed)} as completed, ${sum(sql`seconds`)} as "searchSeconds",
            ${sum(sql`uniq`)} as "uniquePieces", ${requests(sql`contribution in ('considerable', 'significant')`)} as "considerableOrSignificant"
          from f
          group by grouping sets ((team), (submitted_month), (access_worker_id), (state, closing_action), (state, closing_action, closing_reason))
        ) x
      ) g where "set" <> 'reason' or (state = any(${NOT_PROCEEDING_STATES}::text[]) and rank <= ${REASONS_SHOWN})) as groups,
      ${query.team === undefined ? sql`null::jsonb` : sql`(select coalesce(jsonb_agg(distinct team), '[]'::jsonb) from a)`} as teams`;
}

/** Requests projected per transaction: a backlog is worked through in bounded steps. */
export const PROJECTION_BATCH = 1000;

/**
 * Rebuilds the evaluation rows of every request noted so far (migration 085), in batches, and
 * returns how many rows it rebuilt. A projection already running elsewhere is waited for.
 */
export async function projectPendingEvaluation(db: Kysely<Database>, batchSize = PROJECTION_BATCH): Promise<number> {
  let rebuilt = 0;
  for (;;) {
    const { rows } = await sql<{ rebuilt: number; more: boolean }>`select rebuilt, more from evaluation_project_pending(${batchSize})`.execute(db);
    rebuilt += Number(rows[0]?.rebuilt ?? 0);
    if (!rows[0]?.more) return rebuilt;
  }
}

/** Projects the noted requests in the background, so that a read rarely finds more than a moment's notes. */
export function createEvaluationProjector(db: Kysely<Database>, options: PollerOptions = {}): Poller<number> {
  return createPoller(() => projectPendingEvaluation(db), options);
}

export function createEvaluationReadModel(db: Kysely<Database>): EvaluationReadModel {
  return {
    async tallies(query) {
      await projectPendingEvaluation(db);
      const { rows } = await talliesQuery(query).execute(db);
      const { totals, groups, teams } = rows[0] as TalliesRaw;
      const of = (set: Group['set']) => groups.filter((g) => g.set === set);
      return {
        ...totals,
        states: of('state').map((g) => ({ state: g.state, closingAction: g.closingAction, requests: g.requests })),
        reasons: of('reason').map((g) => ({ state: g.state, closingAction: g.closingAction, reason: g.reason, requests: g.requests })),
        byMonth: of('month').map((g) => ({ month: g.month ?? '', requests: g.requests, completed: g.completed, searchSeconds: g.searchSeconds, uniquePieces: g.uniquePieces })),
        byTeam: of('team').map((g) => ({
          team: g.team ?? NO_TEAM,
          requests: g.requests,
          completed: g.completed,
          searchSeconds: g.searchSeconds,
          uniquePieces: g.uniquePieces,
          considerableOrSignificant: g.considerableOrSignificant,
        })),
        byAccessWorker: of('worker').flatMap((g) => (g.accessWorkerId === null ? [] : [{ accessWorkerId: g.accessWorkerId, requests: g.requests, searchSeconds: g.searchSeconds }])),
        teams: [...(teams ?? of('team').map((g) => g.team ?? NO_TEAM))].sort(),
      };
    },

    async rows({ from, to, team }) {
      await projectPendingEvaluation(db);
      const { rows } = await sql<Raw>`
        select e.request_id as id, r.reference, e.team,
          e.originating_worker_id, e.access_worker_id, e.state, e.closing_action, e.closing_reason, e.kind,
          e.submitted_at::text as submitted, e.agreed_at::text as agreed, e.authorised_at::text as authorised,
          e.claimed_at::text as claimed, e.searched_at::text as searched, e.finalised_at::text as finalised, e.shared_at::text as shared,
          e.search_seconds, e.search_sessions, e.useful_pieces, e.unique_pieces, e.contribution, e.feedback_given, e.follow_up
        from evaluation_facts e
        join investigation_requests r on r.id = e.request_id
        where ${inPeriod(from, to)}
          and (${team ?? null}::text is null or coalesce(e.team, ${NO_TEAM}) = ${team ?? null})
        order by e.submitted_at`.execute(db);
      return rows.map(toRow);
    },
  };
}
