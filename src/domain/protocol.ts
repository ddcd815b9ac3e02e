/**
 * Rules of the council's protocol that are not a question of who may take a step: how long a
 * one-off check may search, how often monitoring may look, the pilot's scope, with whom the log is
 * shared, and the feedback's integrity. Each refusal names its rule (`error.rule` in the API).
 * No I/O: callers pass the facts.
 */
import { addCalendarDays, addDays, formatDate, formatDateTime, fromLondonWallClock, londonDate, londonWallClock } from './dates';
import { AppError, type ErrorCode } from './errors';
import type { Feedback, FeedbackAnswers } from './forms';
import { onPlatforms, PLATFORM_HOSTS, PLATFORM_LABELS, type Platform } from './pilot';
import type { InvestigationRequest } from './request';

export const PROTOCOL_RULES = {
  one_off_review: 'A one-off check is one review: searching starts only until the log is completed, within a short window from the first session.',
  monitoring_frequency: 'Monitoring keeps to what was authorised: one review per authorised period, up to the next review date a director confirmed, never after the end date.',
  corporate_account: 'Searches use the corporate account, never a personal profile; the access worker confirms it for each session.',
  team_manager_role: 'A request goes to a team manager who holds the team-manager role.',
  sharing: 'The log is shared with the team manager, the service manager for the case’s team and the service director.',
  pilot_platforms: 'The pilot covers the platforms in scope only (Facebook by default).',
  adult_subjects: 'The people to check are adults: a child of the case is not a person to check.',
  follow_up_timing: 'The six-month follow-up is given from six months after the log was shared.',
  doubt_resolution: 'A doubt is resolved by a service director after the service manager for the case’s team has recorded a view.',
  case_record: 'The documents are placed on the case record before the request is closed.',
} as const;
export type ProtocolRule = keyof typeof PROTOCOL_RULES;

export function ruleError(rule: ProtocolRule, code: ErrorCode, message: string, fields?: Record<string, string>): AppError {
  return new AppError(code, message, fields, rule);
}

export interface ProtocolSettings {
  /** Days a one-off check may search, counted from its first session. */
  oneOffReviewDays: number;
  /** Days after sharing from which the six-month follow-up is accepted. */
  followUpDays: number;
}
export const DEFAULT_PROTOCOL_SETTINGS: ProtocolSettings = { oneOffReviewDays: 7, followUpDays: 182 };

/** When a one-off check stops being searchable, once its first session has started. */
export function oneOffWindowClosesAt(request: InvestigationRequest, settings: ProtocolSettings): string | null {
  if (request.authorisation?.scope.kind !== 'one_off' || !request.firstSearchStartedAt) return null;
  // The same London time that many days on: across a clock change, 7 × 24 hours is an hour off.
  const first = new Date(request.firstSearchStartedAt);
  const { date, time } = londonWallClock(first);
  const sameTime = fromLondonWallClock(addCalendarDays(date, settings.oneOffReviewDays), time);
  // The wall clock is read to the minute; London's offset is whole hours, so seconds carry over as they are.
  return (sameTime ? new Date(sameTime.getTime() + (first.getTime() % 60_000)) : addDays(first, settings.oneOffReviewDays)).toISOString();
}

/** How far ahead of the server's clock a typed capture time may be (a device clock a little fast). */
const CAPTURE_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A capture time the protocol allows: not in the future, and for a one-off check not after its
 * review window closed (DESIGN §2, "searches and evidence outside that scope are refused": a session
 * still open at the close, or none, let evidence captured days later be filed in the log).
 */
export function assertCaptureTimeAllowed(request: InvestigationRequest, capturedAt: string, now: Date, settings: ProtocolSettings): void {
  const at = Date.parse(capturedAt);
  if (at > now.getTime() + CAPTURE_CLOCK_SKEW_MS) {
    throw new AppError('validation', 'Some answers need attention.', { 'metadata.capturedAt': 'The capture time is in the future: enter when the copy was made (UK time).' });
  }
  const closesAt = oneOffWindowClosesAt(request, settings);
  if (closesAt && at > Date.parse(closesAt)) {
    throw ruleError('one_off_review', 'forbidden', `${PROTOCOL_RULES.one_off_review} This check’s window closed at ${formatDateTime(closesAt)}: evidence captured after it cannot be recorded.`, {
      'metadata.capturedAt': `Captured after the window closed (${formatDateTime(closesAt)}).`,
    });
  }
}

const PERIOD_DAYS = { weekly: 7, fortnightly: 14 } as const;

/** The first date a new monitoring review may start after one that started on `lastReview` (YYYY-MM-DD). */
export function nextMonitoringReviewFrom(frequency: string, lastReview: string): string {
  const [y, m, d] = lastReview.split('-').map(Number) as [number, number, number];
  if (frequency === 'weekly' || frequency === 'fortnightly') {
    return new Date(Date.UTC(y, m - 1, d + PERIOD_DAYS[frequency])).toISOString().slice(0, 10);
  }
  // Monthly: the same day next month, or that month's last day when it is shorter.
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/**
 * Whether a search session may start now, given the sessions already started (their start
 * instants). A one-off check searches within its window; monitoring holds one review (the
 * sessions of one day) per authorised period, up to the confirmed review date and the end date.
 */
export function assertSessionMayStart(request: InvestigationRequest, sessionStarts: string[], now: Date, settings: ProtocolSettings): void {
  const scope = request.authorisation?.scope;
  if (!scope) return;
  if (scope.kind === 'one_off') {
    const closesAt = oneOffWindowClosesAt(request, settings);
    if (closesAt && now.toISOString() >= closesAt) {
      throw ruleError(
        'one_off_review',
        'forbidden',
        `This one-off check’s review window closed at ${formatDateTime(closesAt)} (${settings.oneOffReviewDays} days from the first session). Searching again needs a new authorisation: raise a new request.`,
      );
    }
    return;
  }
  const monitoring = scope.monitoring;
  if (!monitoring) return;
  const today = londonDate(now);
  if (monitoring.endedOn || monitoring.endDate < today) {
    throw ruleError('monitoring_frequency', 'forbidden', `Monitoring was authorised until ${formatDate(monitoring.endedOn ?? monitoring.endDate)} only: no further searches are authorised.`);
  }
  if (monitoring.nextReviewOn < today) {
    throw ruleError('monitoring_frequency', 'forbidden', `A director has not confirmed monitoring beyond ${formatDate(monitoring.nextReviewOn)}.`);
  }
  const days = [...new Set(sessionStarts.map((s) => londonDate(new Date(s))))].sort();
  const last = days[days.length - 1];
  if (last && last !== today) {
    const from = nextMonitoringReviewFrom(monitoring.frequency, last);
    if (today < from) {
      throw ruleError(
        'monitoring_frequency',
        'forbidden',
        `Monitoring was authorised ${monitoring.frequency}: the last review was on ${formatDate(last)}, so the next may start on ${formatDate(from)}.`,
      );
    }
  }
}

/** A link must be on a platform in the pilot's scope: the pilot settings' platforms. */
export function assertPilotPlatform(link: string | undefined, field: string, platforms: readonly Platform[]): void {
  if (link === undefined || onPlatforms(link, platforms)) return;
  const scope = platforms.map((p) => `${PLATFORM_LABELS[p]}: ${PLATFORM_HOSTS[p].join(', ')}`).join('; ');
  throw ruleError('pilot_platforms', 'validation', `The pilot covers ${scope} only: this link is outside it.`, {
    [field]: `Outside the pilot’s platforms (${scope}).`,
  });
}

const norm = (s: string | undefined) => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ');

/** A person to check who is one of the case's children (same name, and the same date of birth where both are known). */
export function assertAdultSubjects(form: { children: { name: string; dateOfBirth?: string | undefined }[]; subjects: { name?: string | undefined; dateOfBirth?: string | undefined }[] }): void {
  const fields: Record<string, string> = {};
  form.subjects.forEach((s, i) => {
    if (!s.name) return;
    const child = form.children.find((c) => norm(c.name) === norm(s.name) && (!c.dateOfBirth || !s.dateOfBirth || c.dateOfBirth === s.dateOfBirth));
    if (child) fields[`subjects.${i}.name`] = `${child.name} is a child of the case: only adults are checked.`;
  });
  if (Object.keys(fields).length > 0) throw ruleError('adult_subjects', 'validation', PROTOCOL_RULES.adult_subjects, fields);
}

/**
 * The feedback after a save: earlier answers are kept unless answered again, and times used and
 * time searching are the system's. Throws when the first save leaves a question unanswered.
 */
export function mergeFeedback(earlier: Feedback | null, answers: FeedbackAnswers, measured: { timesUsed: number; searchMinutes: number }): Feedback {
  const given = stripUndefined(answers);
  const usefulPieces = given.usefulPieces ?? earlier?.usefulPieces;
  const uniquePieces = given.uniquePieces ?? earlier?.uniquePieces;
  const contribution = given.contribution ?? earlier?.contribution;
  const fields: Record<string, string> = {};
  if (usefulPieces === undefined) fields.usefulPieces = 'Enter how many useful pieces of information were found.';
  if (uniquePieces === undefined) fields.uniquePieces = 'Enter how many pieces were not otherwise available.';
  if (contribution === undefined) fields.contribution = 'Choose how much the information contributed.';
  if (usefulPieces === undefined || uniquePieces === undefined || contribution === undefined) throw new AppError('validation', 'Some answers need attention.', fields);
  const comments = given.comments ?? earlier?.comments;
  const followUp = answers.followUp
    ? { longerTermUsefulness: answers.followUp.longerTermUsefulness, comments: answers.followUp.comments ?? earlier?.followUp?.comments }
    : earlier?.followUp;
  return {
    ...measured,
    usefulPieces,
    uniquePieces,
    contribution,
    ...(comments !== undefined ? { comments } : {}),
    ...(followUp ? { followUp } : {}),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The follow-up opens six months (REMINDER_FOLLOW_UP_DAYS) after sharing. */
export function assertFollowUpOpen(request: InvestigationRequest, now: Date, followUpDays: number): void {
  const sharedAt = request.sharedWith[0]?.at;
  const opens = sharedAt ? addDays(new Date(sharedAt), followUpDays).toISOString() : null;
  if (!opens) throw ruleError('follow_up_timing', 'invalid_state', 'The six-month follow-up is given after the log has been shared.', { followUp: 'Not yet: the log has not been shared.' });
  if (now.toISOString() < opens) {
    throw ruleError('follow_up_timing', 'invalid_state', `The six-month follow-up opens on ${formatDate(opens)}.`, { followUp: `Not before ${formatDate(opens)}.` });
  }
}
