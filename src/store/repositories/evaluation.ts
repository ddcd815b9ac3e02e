/**
 * The evaluation read model over the projection kept by migration 080 (evaluation_facts: one row
 * per request, its steps' times from the audit trail, its search time from the measured sessions).
 * The figures' counts, sums and medians are taken here in one statement, so 100,000 requests never
 * leave the database; the domain (evaluation.ts) turns them into the figures.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { EvaluationReadModel } from '../../app/ports';
import { MILESTONES, NO_TEAM, NOT_PROCEEDING_STATES, REASONS_SHOWN, type EvaluationRow, type EvaluationTallies, type Milestone } from '../../domain/evaluation';
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

/** Count, median, least and greatest of a column of `t`, over the rows passing `where`. */
function distribution(column: string, where?: RawBuilder<unknown>): RawBuilder<unknown> {
  const c = sql.raw(column);
  const filter = where ? sql`filter (where ${where})` : sql``;
  return sql`jsonb_build_object('count', count(${c}) ${filter}, 'median', percentile_cont(0.5) within group (order by ${c}) ${filter},
    'min', min(${c}) ${filter}, 'max', max(${c}) ${filter})`;
}

const byContribution = (value: (c: Contribution) => RawBuilder<unknown>) =>
  sql`jsonb_build_object(${sql.join(CONTRIBUTIONS.map((c) => sql`${sql.lit(c)}::text, ${value(c)}`))})`;

interface TalliesRaw {
  totals: Omit<EvaluationTallies, 'states' | 'reasons' | 'byMonth' | 'byTeam' | 'byAccessWorker' | 'teams' | 'search'> & {
    search: Omit<EvaluationTallies['search'], 'buckets'>;
  };
  buckets: Record<string, number>;
  states: EvaluationTallies['states'];
  reasons: EvaluationTallies['reasons'];
  by_month: EvaluationTallies['byMonth'];
  by_team: EvaluationTallies['byTeam'];
  by_access_worker: EvaluationTallies['byAccessWorker'];
  teams: string[];
}

export function createEvaluationReadModel(db: Kysely<Database>): EvaluationReadModel {
  return {
    async tallies(query) {
      const steps = MILESTONES.slice(1).map((to, i) => [MILESTONES[i] as Milestone, to] as const);
      // Milliseconds between neighbouring steps, exact (epoch as numeric) until the median is taken.
      const gaps = steps.map(([from, to], i) => sql`((extract(epoch from e.${sql.raw(`${to}_at`)}) - extract(epoch from e.${sql.raw(`${from}_at`)})) * 1000)::float8 as ${sql.raw(`gap${i}`)}`);
      const searched = sql`search_sessions > 0`;
      const assessed = sql`contribution is not null`;
      const completed = sql`state in ('shared', 'closed')`;
      const { rows } = await sql<TalliesRaw>`
        with f as materialized (
          select coalesce(e.form_team, p.team, ${NO_TEAM}) as team,
            to_char(e.submitted_at at time zone 'Europe/London', 'YYYY-MM') as month,
            e.state, e.closing_action, e.closing_reason, e.access_worker_id, e.shared_at, e.contribution, e.follow_up,
            e.search_seconds, e.search_seconds::float8 as seconds, e.search_sessions,
            coalesce(e.useful_pieces, 0) as useful_pieces, coalesce(e.unique_pieces, 0) as unique_pieces,
            ${sql.join(gaps)}
          from evaluation_facts e left join people p on p.id = e.originating_worker_id
          where ${inPeriod(query.from, query.to)}
        ),
        t as materialized (select * from f where ${query.team ?? null}::text is null or team = ${query.team ?? null})
        select
          (select jsonb_build_object(
            'requests', count(*),
            'search', jsonb_build_object('seconds', coalesce(sum(search_seconds), 0), 'sessions', coalesce(sum(search_sessions), 0),
              'perRequestSeconds', ${distribution('seconds', searched)}),
            'turnaroundMs', jsonb_build_array(${sql.join(steps.map((_, i) => distribution(`gap${i}`)))}),
            'value', jsonb_build_object(
              'assessed', count(*) filter (where ${assessed}),
              'usefulPieces', coalesce(sum(useful_pieces) filter (where ${assessed}), 0),
              'uniquePieces', coalesce(sum(unique_pieces) filter (where ${assessed}), 0),
              'requestsWithUniquePieces', count(*) filter (where ${assessed} and unique_pieces > 0),
              'assessedSearchSeconds', coalesce(sum(search_seconds) filter (where ${assessed}), 0),
              'contribution', ${byContribution(
                (c) => sql`jsonb_build_object('requests', count(*) filter (where contribution = ${c}),
                  'medianSearchSeconds', percentile_cont(0.5) within group (order by seconds) filter (where contribution = ${c}))`,
              )}),
            'followUp', jsonb_build_object(
              'due', count(*) filter (where ${completed} and shared_at <= ${query.followUpDueBefore.toISOString()}::timestamptz),
              'given', count(follow_up),
              'outstanding', count(*) filter (where ${completed} and shared_at <= ${query.followUpDueBefore.toISOString()}::timestamptz and follow_up is null),
              'longerTermUsefulness', ${byContribution((c) => sql`count(*) filter (where follow_up = ${c})`)}))
          from t) as totals,
          (select coalesce(jsonb_object_agg(b, n), '{}'::jsonb) from (
            select width_bucket(search_seconds, ${query.bucketBoundsSeconds}::bigint[]) as b, count(*) as n from t where ${searched} group by 1) x) as buckets,
          (select coalesce(jsonb_agg(jsonb_build_object('state', state, 'closingAction', closing_action, 'requests', n)), '[]'::jsonb) from (
            select state, closing_action, count(*) as n from t group by 1, 2) x) as states,
          (select coalesce(jsonb_agg(jsonb_build_object('state', state, 'closingAction', closing_action, 'reason', closing_reason, 'requests', n)), '[]'::jsonb) from (
            select state, closing_action, closing_reason, count(*) as n,
              row_number() over (partition by state, closing_action order by count(*) desc, closing_reason) as rank
            from t where state = any(${NOT_PROCEEDING_STATES}::text[]) group by 1, 2, 3) x where rank <= ${REASONS_SHOWN}) as reasons,
          (select coalesce(jsonb_agg(jsonb_build_object('month', month, 'requests', n, 'completed', c, 'searchSeconds', s, 'uniquePieces', u)), '[]'::jsonb) from (
            select month, count(*) as n, count(*) filter (where ${completed}) as c, sum(search_seconds) as s, sum(unique_pieces) as u
            from t group by 1) x) as by_month,
          (select coalesce(jsonb_agg(jsonb_build_object('team', team, 'requests', n, 'completed', c, 'searchSeconds', s, 'uniquePieces', u,
              'considerableOrSignificant', h)), '[]'::jsonb) from (
            select team, count(*) as n, count(*) filter (where ${completed}) as c, sum(search_seconds) as s, sum(unique_pieces) as u,
              count(*) filter (where contribution in ('considerable', 'significant')) as h
            from t group by 1) x) as by_team,
          (select coalesce(jsonb_agg(jsonb_build_object('accessWorkerId', access_worker_id, 'requests', n, 'searchSeconds', s)), '[]'::jsonb) from (
            select access_worker_id, count(*) as n, sum(search_seconds) as s from t where access_worker_id is not null group by 1) x) as by_access_worker,
          (select coalesce(jsonb_agg(distinct team), '[]'::jsonb) from f) as teams`.execute(db);
      const raw = rows[0] as TalliesRaw;
      return {
        ...raw.totals,
        search: { ...raw.totals.search, buckets: [0, ...query.bucketBoundsSeconds].map((_, i) => Number(raw.buckets[String(i)] ?? 0)) },
        states: raw.states,
        reasons: raw.reasons,
        byMonth: raw.by_month,
        byTeam: raw.by_team,
        byAccessWorker: raw.by_access_worker,
        teams: [...raw.teams].sort(),
      };
    },

    async rows({ from, to, team }) {
      const { rows } = await sql<Raw>`
        select e.request_id as id, r.reference, coalesce(e.form_team, p.team) as team,
          e.originating_worker_id, e.access_worker_id, e.state, e.closing_action, e.closing_reason, e.kind,
          e.submitted_at::text as submitted, e.agreed_at::text as agreed, e.authorised_at::text as authorised,
          e.claimed_at::text as claimed, e.searched_at::text as searched, e.finalised_at::text as finalised, e.shared_at::text as shared,
          e.search_seconds, e.search_sessions, e.useful_pieces, e.unique_pieces, e.contribution, e.feedback_given, e.follow_up
        from evaluation_facts e
        join investigation_requests r on r.id = e.request_id
        left join people p on p.id = e.originating_worker_id
        where ${inPeriod(from, to)}
          and (${team ?? null}::text is null or coalesce(e.form_team, p.team, ${NO_TEAM}) = ${team ?? null})
        order by e.submitted_at`.execute(db);
      return rows.map(toRow);
    },
  };
}
