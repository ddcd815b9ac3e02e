/**
 * The pilot's evaluation figures, computed from the work itself (states, audit trail, timed search
 * sessions, the log's assessment and the feedback) rather than typed in. Pure: the read model
 * gives one plain row per request and this turns them into the figures the Service Director
 * judges the pilot by — information not otherwise available, its value to the assessment, and
 * whether the time taken is proportionate.
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

/** One request as the read model gives it: identifiers, times and numbers, no personal data. */
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
  outcomes: { counts: Record<Outcome, number>; notProceeding: { reference: string; outcome: Outcome; reason: string | null }[] };
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

function distribution(values: readonly number[]): Distribution {
  return {
    count: values.length,
    median: median(values),
    min: values.length ? round1(Math.min(...values)) : null,
    max: values.length ? round1(Math.max(...values)) : null,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const minutes = (seconds: number) => round1(seconds / 60);
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
const zeroContribution = (): Record<Contribution, number> => ({ little: 0, some: 0, considerable: 0, significant: 0 });

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

/** Whether a row belongs to the query: submitted within the period (London dates), in the team. */
export function inPeriod(row: EvaluationRow, query: Pick<EvaluationQuery, 'from' | 'to' | 'team'>): boolean {
  const submitted = row.milestones.submitted;
  if (!submitted) return false;
  const day = londonDate(new Date(submitted));
  if (day < query.from || day > query.to) return false;
  return !query.team || (row.team ?? NO_TEAM) === query.team;
}

function hoursBetween(from: string | undefined, to: string | undefined): number | null {
  if (!from || !to) return null;
  return (Date.parse(to) - Date.parse(from)) / 3_600_000;
}

function countBy<K extends string>(keys: readonly K[]): Map<K, number> {
  const map = new Map<K, number>();
  for (const key of keys) map.set(key, (map.get(key) ?? 0) + 1);
  return map;
}

export function evaluationFigures(allRows: readonly EvaluationRow[], query: EvaluationQuery): EvaluationFigures {
  const rows = allRows.filter((r) => inPeriod(r, query));
  const assessed = rows.filter((r) => r.contribution !== null);
  const teamOf = (r: EvaluationRow) => r.team ?? NO_TEAM;

  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const notProceeding: EvaluationFigures['outcomes']['notProceeding'] = [];
  for (const row of rows) {
    const outcome = outcomeOf(row);
    counts[outcome] += 1;
    if (outcome !== 'open' && outcome !== 'shared') notProceeding.push({ reference: row.reference, outcome, reason: row.closingReason });
  }

  const workers = new Map<string, { requests: number; seconds: number }>();
  for (const row of rows) {
    if (!row.accessWorkerId) continue;
    const w = workers.get(row.accessWorkerId) ?? { requests: 0, seconds: 0 };
    w.requests += 1;
    w.seconds += row.searchSeconds;
    workers.set(row.accessWorkerId, w);
  }

  const searched = rows.filter((r) => r.searchSessions > 0);
  const perRequest = searched.map((r) => r.searchSeconds / 60);
  const totalSeconds = rows.reduce((sum, r) => sum + r.searchSeconds, 0);

  const turnaround: Turnaround[] = [];
  for (let i = 1; i < MILESTONES.length; i += 1) {
    const from = MILESTONES[i - 1] as Milestone;
    const to = MILESTONES[i] as Milestone;
    const hours = rows.map((r) => hoursBetween(r.milestones[from], r.milestones[to])).filter((h): h is number => h !== null);
    turnaround.push({ from, to, ...distribution(hours) });
  }

  const contribution = zeroContribution();
  for (const row of assessed) if (row.contribution) contribution[row.contribution] += 1;
  const usefulPieces = assessed.reduce((sum, r) => sum + (r.usefulPieces ?? 0), 0);
  const uniquePieces = assessed.reduce((sum, r) => sum + (r.uniquePieces ?? 0), 0);
  const withUnique = assessed.filter((r) => (r.uniquePieces ?? 0) > 0).length;
  const highValue = contribution.considerable + contribution.significant;

  const followUpDue = rows.filter((r) => (r.state === 'shared' || r.state === 'closed') && r.milestones.shared && addDays(new Date(r.milestones.shared), query.followUpDays) <= query.now);
  const longerTerm = zeroContribution();
  for (const row of rows) if (row.followUp) longerTerm[row.followUp] += 1;
  const followUpGiven = rows.filter((r) => r.followUp !== null).length;

  const months = new Map<string, EvaluationFigures['byMonth'][number]>();
  const teams = new Map<string, EvaluationFigures['byTeam'][number]>();
  for (const row of rows) {
    const month = londonDate(new Date(row.milestones.submitted as string)).slice(0, 7);
    const m = months.get(month) ?? { month, requests: 0, completed: 0, searchMinutes: 0, uniquePieces: 0 };
    const t = teams.get(teamOf(row)) ?? { team: teamOf(row), requests: 0, completed: 0, searchMinutes: 0, uniquePieces: 0, considerableOrSignificant: 0 };
    for (const bucket of [m, t]) {
      bucket.requests += 1;
      if (row.state === 'shared' || row.state === 'closed') bucket.completed += 1;
      bucket.searchMinutes = round1(bucket.searchMinutes + row.searchSeconds / 60);
      bucket.uniquePieces += row.uniquePieces ?? 0;
    }
    if (row.contribution === 'considerable' || row.contribution === 'significant') t.considerableOrSignificant += 1;
    months.set(month, m);
    teams.set(t.team, t);
  }

  return {
    period: { from: query.from, to: query.to },
    team: query.team ?? null,
    uses: {
      requests: rows.length,
      byTeam: [...countBy(rows.map(teamOf))].map(([team, requests]) => ({ team, requests })).sort((a, b) => a.team.localeCompare(b.team, 'en-GB')),
      byAccessWorker: [...workers]
        .map(([accessWorkerId, w]) => ({ accessWorkerId, requests: w.requests, searchMinutes: minutes(w.seconds) }))
        .sort((a, b) => a.accessWorkerId.localeCompare(b.accessWorkerId)),
    },
    outcomes: { counts, notProceeding: notProceeding.sort((a, b) => a.reference.localeCompare(b.reference)) },
    time: {
      totalSearchMinutes: minutes(totalSeconds),
      sessions: rows.reduce((sum, r) => sum + r.searchSessions, 0),
      perRequestMinutes: distribution(perRequest),
      buckets: MINUTE_BUCKETS.map((b, i) => ({
        label: b.label,
        requests: perRequest.filter((m) => m < b.upTo && (i === 0 || m >= (MINUTE_BUCKETS[i - 1] as { upTo: number }).upTo)).length,
      })),
    },
    turnaround,
    value: { assessed: assessed.length, usefulPieces, uniquePieces, requestsWithUniquePieces: withUnique, contribution },
    followUp: {
      due: followUpDue.length,
      given: followUpGiven,
      outstanding: followUpDue.filter((r) => r.followUp === null).length,
      longerTermUsefulness: longerTerm,
    },
    criteria: {
      notOtherwiseAvailable: { assessed: assessed.length, withUniquePieces: withUnique, share: share(withUnique, assessed.length), uniquePieces },
      valueToAssessment: { assessed: assessed.length, considerableOrSignificant: highValue, share: share(highValue, assessed.length) },
      proportionateTime: {
        medianSearchMinutes: median(perRequest),
        minutesPerUsefulPiece: usefulPieces === 0 ? null : round1(assessed.reduce((s, r) => s + r.searchSeconds, 0) / 60 / usefulPieces),
      },
    },
    timeAgainstContribution: CONTRIBUTIONS.map((c) => {
      const these = assessed.filter((r) => r.contribution === c);
      return { contribution: c, requests: these.length, medianSearchMinutes: median(these.map((r) => r.searchSeconds / 60)) };
    }),
    byMonth: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    byTeam: [...teams.values()].sort((a, b) => a.team.localeCompare(b.team, 'en-GB')),
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
