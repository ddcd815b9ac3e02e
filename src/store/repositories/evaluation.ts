/**
 * The evaluation read model: one plain row per submitted request, its steps' times read from the
 * audit trail and the request, its search time summed from the measured sessions. The figures are
 * computed from these rows in the domain (evaluation.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { EvaluationReadModel } from '../../app/ports';
import type { EvaluationRow, Milestone } from '../../domain/evaluation';
import type { Contribution } from '../../domain/forms';
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
  for (const key of ['submitted', 'agreed', 'authorised', 'claimed', 'searched', 'finalised', 'shared'] as const) {
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

export function createEvaluationReadModel(db: Kysely<Database>): EvaluationReadModel {
  return {
    async rows({ from, to }) {
      // The period is in London dates; the bounds are turned into instants once so the index on submitted_at serves.
      const { rows } = await sql<Raw>`
        select r.id, r.reference,
          coalesce(nullif(r.form ->> 'team', ''), p.team) as team,
          r.originating_worker_id, r.access_worker_id, r.state,
          a.closing_action, r.last_reason ->> 'reason' as closing_reason,
          r.authorisation -> 'scope' ->> 'kind' as kind,
          r.submitted_at::text as submitted,
          r.agreement ->> 'at' as agreed,
          r.authorisation ->> 'at' as authorised,
          a.claimed::text as claimed, a.searched::text as searched, a.finalised::text as finalised, a.shared::text as shared,
          coalesce(s.seconds, 0) as search_seconds, coalesce(s.sessions, 0) as search_sessions,
          coalesce((r.log -> 'assessment' ->> 'usefulPieces')::int, (r.feedback ->> 'usefulPieces')::int) as useful_pieces,
          coalesce((r.log -> 'assessment' ->> 'uniquePieces')::int, (r.feedback ->> 'uniquePieces')::int) as unique_pieces,
          coalesce(r.log -> 'assessment' ->> 'contribution', r.feedback ->> 'contribution') as contribution,
          r.feedback is not null as feedback_given,
          r.feedback -> 'followUp' ->> 'longerTermUsefulness' as follow_up
        from investigation_requests r
        left join people p on p.id = r.originating_worker_id
        left join lateral (
          select
            min(e.at) filter (where e.to_state = 'assigned' and e.from_state in ('authorised', 'awaiting_service_director')) as claimed,
            max(e.at) filter (where e.action = 'complete-log') as searched,
            max(e.at) filter (where e.action = 'finalise') as finalised,
            max(e.at) filter (where e.action = 'share') as shared,
            (array_agg(e.action order by e.seq desc) filter (where e.to_state = r.state and e.from_state is distinct from e.to_state))[1] as closing_action
          from audit_entries e
          where e.request_id = r.id and e.from_state is distinct from e.to_state
        ) a on true
        left join lateral (
          select sum(ss.duration_seconds) as seconds, count(ss.ended_at) as sessions
          from search_sessions ss where ss.request_id = r.id and ss.ended_at is not null
        ) s on true
        where r.submitted_at >= (${from}::date)::timestamp at time zone 'Europe/London'
          and r.submitted_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')
        order by r.submitted_at`.execute(db);
      return rows.map(toRow);
    },
  };
}
