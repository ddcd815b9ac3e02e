/**
 * The evaluation read model over the projection kept by migration 080 (evaluation_facts: one row
 * per request, its steps' times from the audit trail, its search time from the measured sessions).
 * The figures' counts, sums and medians are taken here in one statement, so 100,000 requests never
 * leave the database; the domain (evaluation.ts) turns them into the figures.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { EvaluationReadModel } from '../../app/ports';
import { MILESTONES, NO_TEAM, NOT_PROCEEDING_STATES, REASONS_SHOWN, type EvaluationRow, type EvaluationTallies, type Milestone, type TallyQuery } from '../../domain/evaluation';
import { CONTRIBUTIONS, type Contribution } from '../../domain/forms';
import type { RequestState } from '../../domain/states';
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

/** Count, median, least and greatest of a column, over the rows passing `where`. */
function distribution(column: string, where?: RawBuilder<unknown>): RawBuilder<unknown> {
  const c = sql.raw(column);
  const filter = where ? sql`filter (where ${where})` : sql``;
  return sql`jsonb_build_object('count', count(${c}) ${filter}, 'median', percentile_cont(0.5) within group (order by ${c}) ${filter},
    'min', min(${c}) ${filter}, 'max', max(${c}) ${filter})`;
}

const byContribution = (value: (c: Contribution) => RawBuilder<unknown>) =>
  sql`jsonb_build_object(${sql.join(CONTRIBUTIONS.map((c) => sql`${sql.lit(c)}::text, ${value(c)}`))})`;

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
 * Every tally in one statement: one pass for the totals and medians, one for every grouping
 * (grouping sets), and one for the teams of the period when the tallies are for one team. The
 * projection's rows are narrow and carry the gaps between steps already, so nothing is computed
 * per row but the aggregates.
 */
export function talliesQuery(query: TallyQuery): RawBuilder<TalliesRaw> {
  const gaps = MILESTONES.slice(1).map((to, i) => `${MILESTONES[i] as Milestone}_${to}_ms`);
  const period = sql`submitted_at >= (${query.from}::date)::timestamp at time zone 'Europe/London'
    and submitted_at < ((${query.to}::date + 1)::timestamp at time zone 'Europe/London')`;
  const team = sql`coalesce(team, ${NO_TEAM})`;
  const where = sql`${period} and (${query.team ?? null}::text is null or ${team} = ${query.team ?? null})`;
  const searched = sql`search_sessions > 0`;
  const assessed = sql`contribution is not null`;
  const completed = sql`state in ('shared', 'closed')`;
  const due = sql`${completed} and shared_at <= ${query.followUpDueBefore.toISOString()}::timestamptz`;
  const bounds = query.bucketBoundsSeconds;
  const buckets = [...bounds, null].map((upTo, i) => {
    const from = i === 0 ? null : (bounds[i - 1] as number);
    return sql`count(*) filter (where ${searched}${from === null ? sql`` : sql` and search_seconds >= ${from}`}${upTo === null ? sql`` : sql` and search_seconds < ${upTo}`})`;
  });
  return sql<TalliesRaw>`
    select
      (select jsonb_build_object(
        'requests', count(*),
        'search', jsonb_build_object('seconds', coalesce(sum(search_seconds), 0), 'sessions', coalesce(sum(search_sessions), 0),
          'perRequestSeconds', ${distribution('search_seconds', searched)}, 'buckets', jsonb_build_array(${sql.join(buckets)})),
        'turnaroundMs', jsonb_build_array(${sql.join(gaps.map((g) => distribution(g)))}),
        'value', jsonb_build_object(
          'assessed', count(*) filter (where ${assessed}),
          'usefulPieces', coalesce(sum(useful_pieces) filter (where ${assessed}), 0),
          'uniquePieces', coalesce(sum(unique_pieces) filter (where ${assessed}), 0),
          'requestsWithUniquePieces', count(*) filter (where ${assessed} and unique_pieces > 0),
          'assessedSearchSeconds', coalesce(sum(search_seconds) filter (where ${assessed}), 0),
          'contribution', ${byContribution(
            (c) => sql`jsonb_build_object('requests', count(*) filter (where contribution = ${c}),
              'medianSearchSeconds', percentile_cont(0.5) within group (order by search_seconds) filter (where contribution = ${c}))`,
          )}),
        'followUp', jsonb_build_object(
          'due', count(*) filter (where ${due}),
          'given', count(follow_up),
          'outstanding', count(*) filter (where ${due} and follow_up is null),
          'longerTermUsefulness', ${byContribution((c) => sql`count(*) filter (where follow_up = ${c})`)}))
      from evaluation_facts where ${where}) as totals,
      (select coalesce(jsonb_agg(to_jsonb(g)), '[]'::jsonb) from (
        select *, row_number() over (partition by "set", state, "closingAction" order by requests desc, reason) as rank from (
          select case when grouping(team) = 0 then 'team' when grouping(submitted_month) = 0 then 'month'
              when grouping(access_worker_id) = 0 then 'worker' when grouping(closing_reason) = 0 then 'reason' else 'state' end as "set",
            team, submitted_month as month, access_worker_id as "accessWorkerId", state, closing_action as "closingAction", closing_reason as reason,
            count(*) as requests, count(*) filter (where ${completed}) as completed, sum(search_seconds) as "searchSeconds",
            coalesce(sum(unique_pieces), 0) as "uniquePieces", count(*) filter (where contribution in ('considerable', 'significant')) as "considerableOrSignificant"
          from (select ${team} as team, submitted_month, access_worker_id, state, closing_action, closing_reason, search_seconds, unique_pieces, contribution
            from evaluation_facts where ${where}) f
          group by grouping sets ((team), (submitted_month), (access_worker_id), (state, closing_action), (state, closing_action, closing_reason))
        ) x
      ) g where "set" <> 'reason' or (state = any(${NOT_PROCEEDING_STATES}::text[]) and rank <= ${REASONS_SHOWN})) as groups,
      ${
        query.team === undefined
          ? sql`null::jsonb`
          : sql`(select coalesce(jsonb_agg(distinct ${team}), '[]'::jsonb) from evaluation_facts where ${period})`
      } as teams`;
}

export function createEvaluationReadModel(db: Kysely<Database>): EvaluationReadModel {
  return {
    async tallies(query) {
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
