/**
 * The pilot's evaluation figures, computed from the work itself (states, audit trail, timed search
 * sessions, the log's assessment and the feedback) rather than typed in. Pure: the store counts
 * and takes medians over the requests of a period in SQL (EvaluationTallies), so the figures for
 * 100,000 requests do not travel row by row, and this turns the tallies into the figures the
 * Service Director judges the pilot by — information not otherwise available, its value to the
 * assessment, and whether the time taken is proportionate.
 */
import { addDays, londonDate } from './dates';
import { CONTRIBUTIONS, type Contribution } from './forms';
import type { RequestState } from './states';

/** The protocol's steps, in order; each turnaround is measured between neighbours. */
export const MILESTONES = ['submitted', 'agreed', 'authorised', 'claimed', 'searched', 'finalised', 'shared'] as const;
export type Milestone = (typeof MILESTONES)[number];

export const OUTCOMES = ['open', 'shared', 'declined', 'refused', 'withdrawn', 'cancelled', 'lapsed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  open: 'Still open',
  shared: 'Completed and shared',
  declined: 'Declined by team manager',
  refused: 'Refused by service director',
  withdrawn: 'Withdrawn',
  cancelled: 'Cancelled',
  lapsed: 'Lapsed (authorisation expired)',
};

/** One request as the read model gives it for the export: identifiers, times and numbers, no personal data. */
export interface EvaluationRow {
  requestId: string;
  reference: string;
  team: string | null;
  originatingWorkerId: string;
  accessWorkerId: string | null;
  state: RequestState;
  /** The audit action that closed the request (withdraw, cancel, resolve-doubt, expire, …), if closed. */
  closingAction: string | null;
  /** The reason recorded with a decline, refusal, withdrawal, cancellation or lapse. */
  closingReason: string | null;
  kind: 'one_off' | 'monitoring' | null;
  /** ISO instants of each step reached. */
  milestones: Partial<Record<Milestone, string>>;
  searchSeconds: number;
  searchSessions: number;
  usefulPieces: number | null;
  uniquePieces: number | null;
  contribution: Contribution | null;
  feedbackGiven: boolean;
  followUp: Contribution | null;
}

export interface EvaluationQuery {
  /** London calendar dates, inclusive; a request counts in the period it was submitted. */
  from: string;
  to: string;
  team?: string | undefined;
  now: Date;
  /** Days after sharing when the six-month follow-up falls due. */
  followUpDays: number;
}

export interface Distribution {
  count: number;
  median: number | null;
  min: number | null;
  max: number | null;
}

export interface Turnaround extends Distribution {
  from: Milestone;
  to: Milestone;
}

export interface EvaluationFigures {
  period: { from: string; to: string };
  team: string | null;
  uses: {
    requests: number;
    byTeam: { team: string; requests: number }[];
    byAccessWorker: { accessWorkerId: string; requests: number; searchMinutes: number }[];
  };
  /**
   * How requests ended; for those that did not proceed, the reasons given, most frequent first (up
   * to REASONS_SHOWN per outcome, the rest counted in otherReasons).
   */
  outcomes: { counts: Record<Outcome, number>; notProceeding: NotProceeding[] };
  time: { totalSearchMinutes: number; sessions: number; perRequestMinutes: Distribution; buckets: { label: string; requests: number }[] };
  /** Hours between neighbouring steps, for requests that reached both. */
  turnaround: Turnaround[];
  value: {
    assessed: number;
    usefulPieces: number;
    uniquePieces: number;
    requestsWithUniquePieces: number;
    contribution: Record<Contribution, number>;
  };
  followUp: { due: number; given: number; outstanding: number; longerTermUsefulness: Record<Contribution, number> };
  /** The three criteria of the pilot side by side. */
  criteria: {
    notOtherwiseAvailable: { assessed: number; withUniquePieces: number; share: number | null; uniquePieces: number };
    valueToAssessment: { assessed: number; considerableOrSignificant: number; share: number | null };
    proportionateTime: { medianSearchMinutes: number | null; minutesPerUsefulPiece: number | null };
  };
  timeAgainstContribution: { contribution: Contribution; requests: number; medianSearchMinutes: number | null }[];
  byMonth: { month: string; requests: number; completed: number; searchMinutes: number; uniquePieces: number }[];
  byTeam: { team: string; requests: number; completed: number; searchMinutes: number; uniquePieces: number; considerableOrSignificant: number }[];
}

export interface NotProceeding {
  outcome: Outcome;
  requests: number;
  reasons: { reason: string | null; requests: number }[];
  otherReasons: number;
}

/** Distributions as the store measures them: seconds of search, milliseconds between steps. */
export interface EvaluationTallies {
  requests: number;
  /** Requests by state and the action that closed them (which tells a withdrawal from a cancellation). */
  states: { state: RequestState; closingAction: string | null; requests: number }[];
  /** Reasons given in requests that did not proceed, the most frequent REASONS_SHOWN per state and closing action. */
  reasons: { state: RequestState; closingAction: string | null; reason: string | null; requests: number }[];
  search: { seconds: number; sessions: number; perRequestSeconds: Distribution; buckets: number[] };
  /** Milliseconds between neighbouring MILESTONES, in order. */
  turnaroundMs: Distribution[];
  value: {
    assessed: number;
    usefulPieces: number;
    uniquePieces: number;
    requestsWithUniquePieces: number;
    assessedSearchSeconds: number;
    contribution: Record<Contribution, { requests: number; medianSearchSeconds: number | null }>;
  };
  followUp: { due: number; given: number; outstanding: number; longerTermUsefulness: Record<Contribution, number> };
  byMonth: { month: string; requests: number; completed: number; searchSeconds: number; uniquePieces: number }[];
  byTeam: { team: string; requests: number; completed: number; searchSeconds: number; uniquePieces: number; considerableOrSignificant: number }[];
  byAccessWorker: { accessWorkerId: string; requests: number; searchSeconds: number }[];
  /** Every team with requests in the period, whichever team was asked for (the filter's choices). */
  teams: string[];
}

/** What the store is asked: the period and team, the follow-up's due line and the time buckets' bounds. */
export interface TallyQuery {
  from: string;
  to: string;
  team?: string | undefined;
  /** Shared at or before this instant, a request's six-month follow-up is due. */
  followUpDueBefore: Date;
  /** Upper bounds (seconds) of every bucket but the last, ascending. */
  bucketBoundsSeconds: number[];
}

export const REASONS_SHOWN = 10;
/** The states of a request that ended without being searched and shared. */
export const NOT_PROCEEDING_STATES: RequestState[] = ['declined', 'refused', 'expired', 'cancelled'];
export const NO_TEAM = 'No team recorded';
const MINUTE_BUCKETS: { label: string; upTo: number }[] = [
  { label: 'Under 30 minutes', upTo: 30 },
  { label: '30–60 minutes', upTo: 60 },
  { label: '1–2 hours', upTo: 120 },
  { label: '2–4 hours', upTo: 240 },
  { label: '4 hours or more', upTo: Infinity },
];

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return round1(value);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const minutes = (seconds: number) => round1(seconds / 60);
const hours = (ms: number) => ms / 3_600_000;
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
const orNull = (n: number | null, unit: (n: number) => number) => (n === null ? null : round1(unit(n)));
const scaled = (d: Distribution, unit: (n: number) => number): Distribution => ({
  count: d.count,
  median: orNull(d.median, unit),
  min: orNull(d.min, unit),
  max: orNull(d.max, unit),
});

/** How a request ended, in the pilot's words; the audit action tells a withdrawal from a cancellation. */
export function outcomeOf(row: Pick<EvaluationRow, 'state' | 'closingAction'>): Outcome {
  switch (row.state) {
    case 'shared':
    case 'closed':
      return 'shared';
    case 'declined':
      return 'declined';
    case 'refused':
      return 'refused';
    case 'expired':
      return 'lapsed';
    case 'cancelled':
      return row.closingAction === 'withdraw' ? 'withdrawn' : 'cancelled';
    default:
      return 'open';
  }
}

/** What to ask the store for the figures of a query. */
export function tallyQuery(query: EvaluationQuery): TallyQuery {
  return {
    from: query.from,
    to: query.to,
    team: query.team,
    followUpDueBefore: addDays(query.now, -query.followUpDays),
    bucketBoundsSeconds: MINUTE_BUCKETS.slice(0, -1).map((b) => b.upTo * 60),
  };
}

function hoursBetween(from: string | undefined, to: string | undefined): number | null {
  if (!from || !to) return null;
  return hours(Date.parse(to) - Date.parse(from));
}

function notProceeding(tallies: EvaluationTallies, counts: Record<Outcome, number>): NotProceeding[] {
  const byOutcome = new Map<Outcome, Map<string | null, number>>();
  for (const r of tallies.reasons) {
    const outcome = outcomeOf(r);
    const reasons = byOutcome.get(outcome) ?? new Map<string | null, number>();
    reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + r.requests);
    byOutcome.set(outcome, reasons);
  }
  return OUTCOMES.filter((o) => o !== 'open' && o !== 'shared' && counts[o] > 0).map((outcome) => {
    const reasons = [...(byOutcome.get(outcome) ?? [])]
      .map(([reason, requests]) => ({ reason, requests }))
      .sort((a, b) => b.requests - a.requests || (a.reason ?? '').localeCompare(b.reason ?? '', 'en-GB'))
      .slice(0, REASONS_SHOWN);
    return { outcome, requests: counts[outcome], reasons, otherReasons: counts[outcome] - reasons.reduce((sum, r) => sum + r.requests, 0) };
  });
}

export function evaluationFigures(tallies: EvaluationTallies, query: Pick<EvaluationQuery, 'from' | 'to' | 'team'>): EvaluationFigures {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const s of tallies.states) counts[outcomeOf(s)] += s.requests;
  const v = tallies.value;
  const contribution = Object.fromEntries(CONTRIBUTIONS.map((c) => [c, v.contribution[c].requests])) as Record<Contribution, number>;
  const highValue = contribution.considerable + contribution.significant;
  const perRequestMinutes = scaled(tallies.search.perRequestSeconds, (s) => s / 60);
  const byTeamName = (a: { team: string }, b: { team: string }) => a.team.localeCompare(b.team, 'en-GB');

  return {
    period: { from: query.from, to: query.to },
    team: query.team ?? null,
    uses: {
      requests: tallies.requests,
      byTeam: tallies.byTeam.map((t) => ({ team: t.team, requests: t.requests })).sort(byTeamName),
      byAccessWorker: tallies.byAccessWorker
        .map((w) => ({ accessWorkerId: w.accessWorkerId, requests: w.requests, searchMinutes: minutes(w.searchSeconds) }))
        .sort((a, b) => a.accessWorkerId.localeCompare(b.accessWorkerId)),
    },
    outcomes: { counts, notProceeding: notProceeding(tallies, counts) },
    time: {
      totalSearchMinutes: minutes(tallies.search.seconds),
      sessions: tallies.search.sessions,
      perRequestMinutes,
      buckets: MINUTE_BUCKETS.map((b, i) => ({ label: b.label, requests: tallies.search.buckets[i] ?? 0 })),
    },
    turnaround: MILESTONES.slice(1).map((to, i) => ({
      from: MILESTONES[i] as Milestone,
      to,
      ...scaled(tallies.turnaroundMs[i] ?? { count: 0, median: null, min: null, max: null }, hours),
    })),
    value: { assessed: v.assessed, usefulPieces: v.usefulPieces, uniquePieces: v.uniquePieces, requestsWithUniquePieces: v.requestsWithUniquePieces, contribution },
    followUp: tallies.followUp,
    criteria: {
      notOtherwiseAvailable: { assessed: v.assessed, withUniquePieces: v.requestsWithUniquePieces, share: share(v.requestsWithUniquePieces, v.assessed), uniquePieces: v.uniquePieces },
      valueToAssessment: { assessed: v.assessed, considerableOrSignificant: highValue, share: share(highValue, v.assessed) },
      proportionateTime: {
        medianSearchMinutes: perRequestMinutes.median,
        minutesPerUsefulPiece: v.usefulPieces === 0 ? null : round1(v.assessedSearchSeconds / 60 / v.usefulPieces),
      },
    },
    timeAgainstContribution: CONTRIBUTIONS.map((c) => ({
      contribution: c,
      requests: v.contribution[c].requests,
      medianSearchMinutes: orNull(v.contribution[c].medianSearchSeconds, (s) => s / 60),
    })),
    byMonth: tallies.byMonth
      .map((m) => ({ month: m.month, requests: m.requests, completed: m.completed, searchMinutes: minutes(m.searchSeconds), uniquePieces: m.uniquePieces }))
      .sort((a, b) => a.month.localeCompare(b.month)),
    byTeam: tallies.byTeam
      .map((t) => ({ team: t.team, requests: t.requests, completed: t.completed, searchMinutes: minutes(t.searchSeconds), uniquePieces: t.uniquePieces, considerableOrSignificant: t.considerableOrSignificant }))
      .sort(byTeamName),
  };
}

/**
 * The figures and the requests as tables for export. Rows are anonymised: no reference, no names
 * of staff or subjects, no dates of birth or addresses, no free text (reasons, summaries, comments)
 * — only the team, the month, the kind, the outcome and the numbers.
 */
export interface ExportTables {
  figures: [string, string | number][];
  requestsHeader: string[];
  requests: (string | number)[][];
}

export function exportTables(figures: EvaluationFigures, rows: readonly EvaluationRow[]): ExportTables {
  const f = figures;
  const value = (n: number | null) => (n === null ? '' : n);
  const lines: [string, string | number][] = [
    ['Period from', f.period.from],
    ['Period to', f.period.to],
    ['Team', f.team ?? 'All teams'],
    ['Requests', f.uses.requests],
    ...OUTCOMES.map((o): [string, number] => [`Outcome: ${OUTCOME_LABELS[o]}`, f.outcomes.counts[o]]),
    ['Search sessions', f.time.sessions],
    ['Time searching (minutes)', f.time.totalSearchMinutes],
    ['Median time searching per request (minutes)', value(f.time.perRequestMinutes.median)],
    ...f.turnaround.map((t): [string, string | number] => [`Median hours ${t.from} to ${t.to}`, value(t.median)]),
    ['Requests assessed', f.value.assessed],
    ['Useful pieces', f.value.usefulPieces],
    ['Unique pieces (not otherwise available)', f.value.uniquePieces],
    ...CONTRIBUTIONS.map((c): [string, number] => [`Contribution: ${c}`, f.value.contribution[c]]),
    ['Share of assessed requests with unique pieces', value(f.criteria.notOtherwiseAvailable.share)],
    ['Share contributing considerably or significantly', value(f.criteria.valueToAssessment.share)],
    ['Minutes searched per useful piece', value(f.criteria.proportionateTime.minutesPerUsefulPiece)],
    ['Six-month follow-ups due', f.followUp.due],
    ['Six-month follow-ups given', f.followUp.given],
  ];
  const steps = MILESTONES.slice(1).map((to, i) => [MILESTONES[i] as Milestone, to] as const);
  const header = [
    'Row',
    'Team',
    'Month submitted',
    'Kind',
    'Outcome',
    ...steps.map(([from, to]) => `Hours ${from} to ${to}`),
    'Search sessions',
    'Search minutes',
    'Useful pieces',
    'Unique pieces',
    'Contribution',
    'Feedback given',
    'Six-month follow-up',
  ];
  const sorted = [...rows].sort((a, b) => (a.milestones.submitted ?? '').localeCompare(b.milestones.submitted ?? ''));
  const requests = sorted.map((r, i) => [
    i + 1,
    r.team ?? NO_TEAM,
    r.milestones.submitted ? londonDate(new Date(r.milestones.submitted)).slice(0, 7) : '',
    r.kind ?? '',
    outcomeOf(r),
    ...steps.map(([from, to]) => {
      const h = hoursBetween(r.milestones[from], r.milestones[to]);
      return h === null ? '' : round1(h);
    }),
    r.searchSessions,
    minutes(r.searchSeconds),
    r.usefulPieces ?? '',
    r.uniquePieces ?? '',
    r.contribution ?? '',
    r.feedbackGiven ? 'yes' : 'no',
    r.followUp ?? '',
  ]);
  return { figures: lines, requestsHeader: header, requests };
}
