/**
 * How long a request is kept, and why it may be held at all. The schedule counts from closure (a
 * request is kept while it is open); a legal hold suspends it; disposal is a decision two people
 * take: a service manager proposes, a different person, a service director, confirms.
 */
import { z } from 'zod';
import { addMonths } from './dates';
import { safeString } from './forms';
import type { InvestigationRequest } from './request';
import { CLOSED_STATES, type RequestState } from './states';

export { DISPOSAL_ACTION } from './disposal-action';

export type ClosedState = 'shared' | 'declined' | 'refused' | 'cancelled' | 'expired';

/** Months kept after closure, by how the request closed. */
export type RetentionSchedule = Record<ClosedState, number>;

export interface RetentionSettings {
  schedule: RetentionSchedule;
  /** The lawful basis for holding the records, shown on each request and in the filed documents. */
  lawfulBasis: string;
}

/**
 * Defaults a council will usually replace with its own retention schedule (RETENTION_SCHEDULE):
 * information that reached an assessment is kept six years after the request closed; a request that
 * never led to a search, two years.
 */
export const DEFAULT_RETENTION_SCHEDULE: RetentionSchedule = { shared: 72, declined: 24, refused: 24, cancelled: 24, expired: 24 };

export const DEFAULT_LAWFUL_BASIS =
  'UK GDPR Article 6(1)(e): a task in the public interest — the council’s duties to safeguard children under the Children Act 1989, ' +
  'sections 17 and 47. Special category data: Article 9(2)(g) with the Data Protection Act 2018, Schedule 1, paragraph 18 ' +
  '(safeguarding of children and of individuals at risk).';

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = { schedule: DEFAULT_RETENTION_SCHEDULE, lawfulBasis: DEFAULT_LAWFUL_BASIS };

const CLOSED_LABELS: Record<ClosedState, string> = {
  shared: 'completed and shared',
  declined: 'declined',
  refused: 'refused',
  cancelled: 'withdrawn or cancelled',
  expired: 'lapsed',
};

function years(months: number): string {
  if (months % 12 === 0) return months === 12 ? 'one year' : `${months / 12} years`;
  return months === 1 ? 'one month' : `${months} months`;
}

/** The rule in words, for the request's page and its filed documents. */
export function retentionRule(state: RequestState, schedule: RetentionSchedule): string {
  const closedAs = scheduleFor(state);
  if (!closedAs) {
    const shared = schedule.shared;
    return `Kept while the request is open. Once closed it is kept for a period counted from closure (${years(shared)} when completed and shared), then reviewed for disposal.`;
  }
  return `Kept for ${years(schedule[closedAs])} from closure (${CLOSED_LABELS[closedAs]}), then reviewed for disposal.`;
}

/**
 * The line of the schedule a request falls under once it stops: a shared request closes when its
 * documents are placed on the case record (state `closed`; requests shared before that step existed
 * kept the state `shared`), so both count as completed and shared.
 */
export function scheduleFor(state: RequestState): ClosedState | null {
  if (state === 'closed' || state === 'shared') return 'shared';
  return (CLOSED_STATES as readonly string[]).includes(state) ? (state as ClosedState) : null;
}

export interface LegalHold {
  by: string;
  at: string;
  reason: string;
}

export interface DisposalProposal {
  by: string;
  at: string;
  note: string | null;
}

export interface DisposalRecord {
  proposedBy: string;
  proposedAt: string;
  confirmedBy: string;
  confirmedAt: string;
}

/** What the retention register holds for one request besides the request itself. */
export interface RetentionRecord {
  requestId: string;
  legalHold: LegalHold | null;
  proposal: DisposalProposal | null;
  disposal: DisposalRecord | null;
  /** Evidence and document files whose removal from the store has not yet succeeded. */
  filesToRemove: string[];
}

export const emptyRetentionRecord = (requestId: string): RetentionRecord => ({ requestId, legalHold: null, proposal: null, disposal: null, filesToRemove: [] });

/** The London date until which the request must be kept; null while it is open. */
export function retainUntil(request: Pick<InvestigationRequest, 'state' | 'closedAt'>, schedule: RetentionSchedule): string | null {
  const closedAs = scheduleFor(request.state);
  // closedAt stays empty until the documents are on the case record, so nothing is dated before.
  if (!closedAs || !request.closedAt) return null;
  return addMonths(request.closedAt, schedule[closedAs]);
}

export const RETENTION_STATUSES = ['open', 'kept', 'due', 'on_hold', 'proposed', 'disposed'] as const;
export type RetentionStatus = (typeof RETENTION_STATUSES)[number];

export interface RetentionView {
  lawfulBasis: string;
  rule: string;
  retainUntil: string | null;
  status: RetentionStatus;
  legalHold: LegalHold | null;
  proposal: DisposalProposal | null;
  disposal: DisposalRecord | null;
}

export function retentionView(
  request: Pick<InvestigationRequest, 'state' | 'closedAt'>,
  record: RetentionRecord,
  settings: RetentionSettings,
  today: string,
): RetentionView {
  const until = retainUntil(request, settings.schedule);
  let status: RetentionStatus;
  if (record.disposal) status = 'disposed';
  else if (record.legalHold) status = 'on_hold';
  else if (until === null) status = 'open';
  else if (until > today) status = 'kept';
  else status = record.proposal ? 'proposed' : 'due';
  return {
    lawfulBasis: settings.lawfulBasis,
    rule: retentionRule(request.state, settings.schedule),
    retainUntil: until,
    status,
    legalHold: record.legalHold,
    proposal: record.proposal,
    disposal: record.disposal,
  };
}

/**
 * Why this request may not be disposed of now, or null when it may. Disposal needs the retention
 * date reached, no legal hold, and a proposal by someone other than the person confirming.
 */
export function disposalBarrier(view: RetentionView, confirmerId: string, today: string): string | null {
  if (view.status === 'disposed') return 'This request has already been disposed of.';
  if (view.legalHold) return 'A legal hold is on this request: it cannot be disposed of until the hold is lifted.';
  if (view.retainUntil === null) return 'This request is still open: it is kept while open.';
  if (view.retainUntil > today) return `This request must be kept until ${view.retainUntil}.`;
  if (!view.proposal) return 'A service manager must propose the disposal first.';
  if (view.proposal.by === confirmerId) return 'The person who proposed the disposal cannot also confirm it: a second person must.';
  return null;
}

/** Parses `shared=72,declined=24,…` (months); states not named keep their default. */
export function parseRetentionSchedule(text: string): RetentionSchedule {
  const schedule: RetentionSchedule = { ...DEFAULT_RETENTION_SCHEDULE };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(shared|declined|refused|cancelled|expired)=(\d{1,4})$/.exec(part);
    if (!match?.[1] || !match[2]) throw new Error(`"${part}" is not state=months (states: ${Object.keys(DEFAULT_RETENTION_SCHEDULE).join(', ')})`);
    const months = Number(match[2]);
    if (months < 1 || months > 1200) throw new Error(`"${part}": months must be from 1 to 1200`);
    schedule[match[1] as ClosedState] = months;
  }
  return schedule;
}

const reason = (what: string) =>
  safeString({ error: `Enter ${what}.` })
    .trim()
    .min(1, { error: `Enter ${what}.` })
    .max(1000, { error: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be 1000 characters or fewer.` });

export const legalHoldSchema = z.discriminatedUnion('hold', [
  z.object({ hold: z.literal(true), reason: reason('the reason for the legal hold') }),
  z.object({ hold: z.literal(false), reason: reason('the reason for lifting the hold') }),
], { error: 'Say whether to place (true) or lift (false) the hold.' });

export const disposalProposalSchema = z.object({
  note: safeString().trim().max(1000, { error: 'The note must be 1000 characters or fewer.' }).nullable().optional(),
});
