/**
 * Builds the request card for one person: what they may decide (inputs and buttons for the
 * actions allowed to them now), or the status and the latest outcome for everyone else.
 * Only what the decision needs is shown — no dates of birth, addresses or descriptions.
 */
import { CONCERN_LABELS, SUBJECT_KIND_LABELS, type ConcernCategory, type SubjectKind } from '../../src/domain/forms';
import { REPEAT_MATCH_LABELS } from '../../src/domain/repeat-checks';
import type { NotificationKind } from '../../src/domain/workflow';
import type { RequestView } from '../../src/app/requests/view';
import { cardDate, cardDateTime, NOT_GIVEN } from './card-dates';
import { clip, inertMarkdown, renderCard, type AdaptiveCard } from './render';
import { TAB_ENTITY_ID, TEAMS_ENTITY_LINK, teamsTabLink } from '../tab-link';

/** Actions a person can take on the card itself; the rest are done in the tab. */
export const CARD_ACTIONS = ['agree', 'return', 'decline', 'authorise', 'refuse', 'claim', 'record-doubt-view', 'resolve-doubt'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

export type CardPurpose = NotificationKind | 'current';

export interface RequestCardInput {
  view: RequestView;
  purpose: CardPurpose;
  /** The viewer's Teams user id, for refresh.userIds when they may act. */
  viewerTeamsId: string | null;
  /** Access workers the service director may choose (active, on the register, no other part). */
  accessWorkers: { id: string; displayName: string }[];
  tabUrl: string;
  /** A short explanation shown on top, e.g. why an action was not taken. */
  notice?: string | null;
  /** The viewer can no longer open the request: show its reference, state and outcome only. */
  statusOnly?: boolean;
  /** Where the filed record documents and evidence can be opened, once the log is finalised. */
  documentsUrl?: string | null;
}

const HEADLINES: Record<CardPurpose, string> = {
  agree_request: 'A social media check for you to agree',
  authorise_request: 'A social media check for your authorisation',
  linked_request_flag: 'Flagged: a linked request about a further person',
  claim_request: 'An authorised social media check to claim',
  assigned: 'You have been chosen as the access worker',
  resolve_doubt: 'A doubt has been raised about a social media check',
  log_ready: 'The Investigation Log is ready for your assessment',
  log_shared: 'A finalised Investigation Log has been shared with you',
  status_changed: 'A social media check you are part of has moved on',
  request_updated: 'Social media check',
  reminder_decision_waiting: 'Reminder: a social media check is waiting for your decision',
  reminder_feedback_due: 'Reminder: pilot feedback is due for a social media check',
  reminder_follow_up_due: 'Reminder: the six-month follow-up is due for a social media check',
  reminder_monitoring_review_due: 'Reminder: a monitoring authorisation is due for review',
  decision_escalated: 'Escalated to you: a decision on a social media check has waited too long',
  reminder_case_record_due: 'Reminder: record that the filed Investigation Request and Log are on the case record',
  record_documents: 'The Investigation Request and Log have been filed',
  grant_folder_readers: 'The request’s evidence folder is open to its social worker and team manager',
  holder_lost_role: 'Someone holding this social media check can no longer act in their part (their role or register authorisation ended)',
  request_disposed: 'This social media check has been disposed of',
  survey_prompt: 'How was the authorisation process? Rate its ease and effectiveness in the tab (it takes a minute)',
  current: 'Social media check',
};

/** What a notification is about, in a few words: the headline of its card, or the status line beside an updated one. */
export function purposeHeadline(purpose: CardPurpose): string {
  return HEADLINES[purpose];
}

/** The reader's own next step, when they have one: the card's headline names it. */
const YOUR_STEP: Partial<Record<string, string>> = {
  agree: 'Your turn: agree this check in supervision, or return or decline it',
  authorise: 'Your turn: authorise this check, or return or refuse it',
  claim: 'Your turn: claim this authorised check',
  assign: 'Your turn: choose an access worker for this check',
  'confirm-legitimacy': 'Your turn: confirm the search is legitimate',
  'complete-log': 'Your turn: search and complete the Investigation Log',
  'record-doubt-view': 'Your turn: give your view on the doubt raised about this check',
  'resolve-doubt': 'Your turn: settle the doubt raised about this check',
  'record-placement': 'Your turn: place the filed documents on the case record and record it',
  finalise: 'Your turn: assess the information and finalise the log',
  share: 'Your turn: share the finalised log',
  'review-monitoring': 'Your turn: review the monitoring authorisation',
  submit: 'Your turn: edit the request and submit it again',
};

/** Purposes whose own words matter more than the next step (a reminder says it is one). */
const PURPOSE_FIRST: readonly CardPurpose[] = [
  'reminder_decision_waiting',
  'reminder_feedback_due',
  'reminder_follow_up_due',
  'reminder_monitoring_review_due',
  'reminder_case_record_due',
  'decision_escalated',
  'linked_request_flag',
];

function headline(purpose: CardPurpose, allowed: readonly string[], submittedBefore: boolean): string {
  if (PURPOSE_FIRST.includes(purpose)) return HEADLINES[purpose];
  const action = allowed.find((a) => YOUR_STEP[a]);
  // Only a returned draft is submitted "again"; one never submitted is still being written.
  if (action === 'submit' && !submittedBefore) return 'Your turn: finish the request and submit it';
  return (action && YOUR_STEP[action]) ?? HEADLINES[purpose];
}

const CLIP = 600;

/**
 * A link to one request. With a Teams deep link as the tab's address the request travels as
 * context={"subEntityId": "<requestId>"}, which the tab reads on open (tab/src/host.ts); with a
 * web address (local mode, the chat preview) it is the tab's own route.
 */
export function isTeamsLink(url: string): boolean {
  return url.startsWith(TEAMS_ENTITY_LINK);
}

export function requestUrl(tabUrl: string, requestId: string, page?: 'workspace' | 'assess'): string {
  if (isTeamsLink(tabUrl)) return `${tabUrl}?context=${encodeURIComponent(JSON.stringify({ subEntityId: requestId }))}`;
  const base = tabUrl.endsWith('/') ? tabUrl : `${tabUrl}/`;
  return `${base}requests/${encodeURIComponent(requestId)}${page ? `/${page}` : ''}`;
}

export function cardActionsFor(view: RequestView): CardAction[] {
  return CARD_ACTIONS.filter((a) => view.allowedActions.some((allowed) => allowed.action === a));
}

function name(view: RequestView, id: string | null | undefined): string {
  if (!id) return 'someone';
  if (id === 'system') return 'the system';
  return view.people[id] ?? 'a former member of staff';
}

/** A period from–to; a draft may have neither end yet. */
function period(p: { from?: string | null; to?: string | null } | null | undefined): string {
  if (!p?.from && !p?.to) return NOT_GIVEN;
  return `${cardDate(p.from)} to ${cardDate(p.to)}`;
}

/** States in which an authorisation not yet used still lapses at its use-by date. */
const MAY_LAPSE_UNUSED: readonly RequestView['state'][] = ['authorised', 'assigned', 'searching', 'on_hold'];

const CLOSED_BY: Partial<Record<RequestView['state'], string>> = { declined: 'Declined', refused: 'Refused', cancelled: 'Cancelled', expired: 'Expired' };

/**
 * The latest decision in one sentence, with who and when. The state is already on the line above
 * it, so this adds only what that line does not say.
 */
function outcome(view: RequestView): { text: string; style: 'good' | 'attention' | 'default' } | null {
  const by = (d: { by: string; at: string }) => (d.by === 'system' ? `on ${cardDateTime(d.at)}` : `by ${name(view, d.by)} on ${cardDateTime(d.at)}`);
  const last = view.lastReason;
  const closed = CLOSED_BY[view.state];
  if (closed) return last ? { text: `${closed} ${by(last)}.`, style: 'attention' } : null;
  switch (view.state) {
    case 'draft':
      return last ? { text: `Returned to the social worker ${by(last)}.`, style: 'attention' } : null;
    case 'awaiting_team_manager':
      return null;
    case 'awaiting_service_director':
      return view.agreement ? { text: `Agreed ${by(view.agreement)}.`, style: 'good' } : null;
    default: {
      if (!view.authorisation) return null;
      const taken = view.accessWorkerId ? ` Access worker: ${name(view, view.accessWorkerId)}.` : '';
      return { text: `Authorised ${by(view.authorisation)}.${taken}`, style: 'good' };
    }
  }
}

export function buildRequestCard(input: RequestCardInput): AdaptiveCard {
  const { view } = input;
  const actions = input.statusOnly ? [] : cardActionsFor(view);
  const can = (a: CardAction) => actions.includes(a);
  const scope = view.authorisation?.scope;
  const inScope = scope ? view.subjects.filter((s) => scope.subjectIds.includes(s.id)) : view.subjects;
  const subjectLabel = (s: RequestView['subjects'][number]) =>
    s.kind === 'unknown_associate'
      ? 'Unknown associate (described in the request)'
      : `${s.name || `Name ${NOT_GIVEN}`} — ${s.kind ? SUBJECT_KIND_LABELS[s.kind as SubjectKind] : `kind ${NOT_GIVEN}`}`;
  const monitoring = view.monitoring;
  const facts: { label: string; value: string }[] = [
    // A draft may not have these yet; a blank after the label would look like a fault.
    { label: 'Case', value: view.caseReference || NOT_GIVEN },
    { label: 'Concern', value: view.concernCategories.map((c) => CONCERN_LABELS[c as ConcernCategory]).join('; ') || NOT_GIVEN },
    // Once authorised, the authorised period below stands for it (the scope takes the request's period).
    ...(scope ? [] : [{ label: 'Period to look at', value: period(view.period) }]),
    {
      label: 'Kind of check',
      value: monitoring
        ? `Monitoring (${monitoring.frequency ?? `how often: ${NOT_GIVEN}`}) until ${cardDate(monitoring.endDate)}`
        : view.searchWindowClosesAt
          ? `One-off review: searching closes ${cardDateTime(view.searchWindowClosesAt)}`
          : `One-off review: searching closes ${view.oneOffReviewDays} days after the first session`,
    },
    { label: 'Needed by', value: `${cardDate(view.neededBy)}${view.urgency === 'urgent' ? ' (urgent)' : ''}` },
    { label: 'Social worker', value: name(view, view.originatingWorkerId) },
  ];
  // What the director decides on, and what every later copy keeps: the supervision note, the
  // authorised period and, for monitoring, the review dates.
  if (view.agreement?.note) facts.push({ label: `Supervision note (${name(view, view.agreement.by)})`, value: clip(view.agreement.note, CLIP).text });
  if (scope) facts.push({ label: 'Authorised period', value: period(scope.period) });
  // The director's use-by matters until the first search: an authorisation not used by then lapses.
  if (scope && MAY_LAPSE_UNUSED.includes(view.state) && !view.firstSearchStartedAt) {
    facts.push({ label: 'Use by', value: `${cardDate(scope.useBy)} (the authorisation lapses if no search has started by the end of that day)` });
  }
  if (scope?.monitoring) {
    const { reviewDates, nextReviewOn } = scope.monitoring;
    // The next review is marked in the list rather than named again after it.
    const reviews = reviewDates.map((d) => (d === nextReviewOn ? `${cardDate(d)} (next)` : cardDate(d))).join(', ');
    facts.push({ label: 'Review dates', value: reviewDates.includes(nextReviewOn) ? reviews : `${reviews || 'none set'}; next review by ${cardDate(nextReviewOn)}` });
  }
  if (scope?.conditions) facts.push({ label: 'Conditions', value: clip(scope.conditions, CLIP).text });
  // An open doubt: what was raised and, once recorded, the case's service manager's view, which the director decides on.
  const doubt = view.state === 'on_hold' ? view.doubts[view.doubts.length - 1] : undefined;
  if (doubt) {
    const by = doubt.raisedAs === 'access_worker' ? 'access worker' : 'social worker';
    facts.push({ label: `Doubt raised by the ${by} (${name(view, doubt.raisedBy)})`, value: clip(doubt.reason, CLIP).text });
    facts.push({
      label: 'Service manager’s view',
      value: doubt.serviceManagerView ? `${name(view, doubt.serviceManagerView.by)}: ${clip(doubt.serviceManagerView.note, CLIP).text}` : 'Not yet recorded: a director resolves the doubt after it is.',
    });
  }
  const details = can('agree') || can('authorise') || input.purpose === 'linked_request_flag';
  const concern = clip(view.concernDetails, CLIP);
  const justification = clip(view.justification, CLIP);
  const monitoringJustification = monitoring ? clip(monitoring.justification, CLIP) : null;
  const last = view.lastReason?.reason ? clip(view.lastReason.reason, CLIP).text : null;
  const result = outcome(view);
  const earlier = input.statusOnly ? [] : (view.earlierChecks ?? []);
  const subjectById = new Map(view.subjects.map((s) => [s.id, s]));
  const openTitle = view.state === 'with_originating_worker' ? 'Open the log to assess' : 'Open the request';

  return renderCard('request', {
    requestId: view.id,
    version: view.version,
    reference: view.reference,
    stateLabel: view.stateLabel,
    headline: headline(input.purpose, input.statusOnly ? [] : view.allowedActions.map((a) => a.action), view.submittedAt !== null),
    notice: input.notice ?? null,
    outcome: result?.text ?? null,
    outcomeStyle: result?.style ?? 'default',
    // On hold, the reason is the doubt, which its own line already shows with who raised it.
    lastReason: input.statusOnly || doubt ? null : last,
    facts: input.statusOnly ? [] : facts,
    showSubjects: !input.statusOnly,
    subjectsHeading: scope ? 'People in the authorised scope' : 'People to check',
    subjects: inScope.map((s) => ({ label: subjectLabel(s) })),
    showEarlierChecks: earlier.length > 0,
    earlierChecks: earlier.map((c) => {
      const subject = subjectById.get(c.subjectId);
      return {
        label: subject ? (subject.name ?? 'Unknown associate') : 'A person on this request',
        reference: c.reference,
        detail: `authorised ${cardDate(c.authorisedAt)} (${REPEAT_MATCH_LABELS[c.matchedBy]})`,
        url: c.visible ? requestUrl(input.tabUrl, c.requestId) : null,
      };
    }),
    monitoringWarning: Boolean(monitoring) && (can('authorise') || can('agree')),
    showDetails: details,
    concernDetails: concern.text,
    justification: justification.text,
    monitoringJustification: monitoringJustification?.text ?? null,
    truncated: concern.clipped || justification.clipped || Boolean(monitoringJustification?.clipped),
    canAgree: can('agree'),
    canDecline: can('decline'),
    canReturn: can('return'),
    canAuthorise: can('authorise'),
    canRefuse: can('refuse'),
    canClaim: can('claim'),
    canResolveDoubt: can('resolve-doubt'),
    canRecordDoubtView: can('record-doubt-view'),
    isMonitoring: Boolean(monitoring),
    allSubjectIds: view.subjects.map((s) => s.id).join(','),
    subjectChoices: view.subjects.map((s) => ({ title: inertMarkdown(subjectLabel(s)), value: s.id })),
    accessWorkerChoices: input.accessWorkers.map((w) => ({ title: inertMarkdown(w.displayName), value: w.id })),
    refreshUserIds: actions.length > 0 && input.viewerTeamsId ? [input.viewerTeamsId] : [],
    openTitle,
    requestUrl: requestUrl(input.tabUrl, view.id, view.state === 'with_originating_worker' ? 'assess' : undefined),
    documentsUrl: input.statusOnly ? null : (input.documentsUrl ?? null),
  });
}

export { TAB_ENTITY_ID, teamsTabLink };
