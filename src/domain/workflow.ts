/**
 * The workflow engine: given a request, a person, an action and its validated body, it decides
 * the next state, what changes, what the audit trail records and whom to notify. No I/O: the
 * use case loads the facts it needs and writes the outcome in one transaction.
 */
import { addCalendarDays, formatDate, londonDate, londonDayEnd } from './dates';
import { AppError, forbidden, invalidState, validationError } from './errors';
import { investigationRequestSchema, parseForm, type ActionBodies } from './forms';
import { can, participants, standingMessage, type Part } from './policy';
import { PROTOCOL_RULES, ruleError } from './protocol';
import { awaitsCaseRecord, isComplete, openDoubt, type InvestigationRequest, type Scope } from './request';
import { teamManagerRoute } from './team-managers';
import { accessWorkerStanding, hasRole, type Person, type Role } from './roles';
import type { RequestState, WorkflowAction } from './states';

export interface WorkflowSettings {
  /** Days an authorisation stays usable if no search has started. */
  authorisationValidDays: number;
}
export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = { authorisationValidDays: 28 };

export const NOTIFICATION_KINDS = [
  'agree_request',
  'authorise_request',
  'linked_request_flag',
  'claim_request',
  'assigned',
  'resolve_doubt',
  'log_ready',
  'log_shared',
  'status_changed',
  'request_updated',
  'reminder_decision_waiting',
  'reminder_feedback_due',
  'reminder_follow_up_due',
  'reminder_monitoring_review_due',
  'decision_escalated',
  'reminder_case_record_due',
  'record_documents',
  'holder_lost_role',
  'request_disposed',
  'grant_folder_readers',
  'survey_prompt',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Whom a notification is for: one person, everyone holding a role (less those named), every card
 * already posted about the request, or the system itself (work to do after commit, e.g. filing documents).
 */
export type Recipient = { personId: string } | { role: Role; except: string[] } | { cards: true } | { system: true };

export interface NotificationIntent {
  kind: NotificationKind;
  to: Recipient;
}

export interface ActionFacts {
  /** The access worker named by `authorise` or `assign`, looked up by the use case. */
  accessWorker?: Person | null;
  /** For `submit`: the originating worker's line manager in the directory. */
  teamManager?: Person | null;
  /** For `submit`: the team manager the worker chose (`teamManagerId`), when the line manager is not one. */
  chosenTeamManager?: Person | null;
  /** For `share` and doubts: the service manager for the case's team in the directory (the team manager's manager). */
  serviceManager?: Person | null;
  /** For `share`: the service manager the worker chose (`serviceManagerId`), when the directory names none. */
  chosenServiceManager?: Person | null;
  /** For `withdraw`, `cancel` and `resolve-doubt`: whether evidence has been captured, so the log must be filed as it stands. */
  evidenceCaptured?: boolean;
  /** For `record-placement`: whether the record documents have been filed. */
  documentsFiled?: boolean;
  /** For `complete-log` and evidence: search sessions held on this request. */
  searchSessions?: { held: number; open: number };
}

export interface Outcome {
  request: InvestigationRequest;
  part: Part | 'system';
  audit: { action: string; fromState: RequestState; toState: RequestState; reason?: string; detail?: Record<string, unknown> };
  notifications: NotificationIntent[];
}

type Body<A extends WorkflowAction> = ActionBodies[A];

/** What a transition reads and writes: the request before and the one being made, and whom to tell. */
interface Step<A extends WorkflowAction> {
  body: Body<A>;
  request: InvestigationRequest;
  next: InvestigationRequest;
  actor: Person;
  part: Part;
  facts: ActionFacts;
  settings: WorkflowSettings;
  now: Date;
  /** `now` as ISO 8601, and the London date of `now`. */
  at: string;
  today: string;
  reason: string | undefined;
  notify(kind: NotificationKind, to: Recipient): void;
  /** Tells everyone playing a part on the request, but the actor, that its state changed. */
  tellOthers(): void;
  close(state: RequestState): void;
}

/** A transition changes `next` and says what to notify; it returns the audit entry's detail, if any. */
type Transition<A extends WorkflowAction> = (step: Step<A>) => Record<string, unknown> | undefined;

/**
 * Evidence captured is part of the case record: the log is filed as it stands, and the request
 * closes only when the originating worker records that the documents are on the case record.
 */
function closeOrAwaitCaseRecord(s: Step<WorkflowAction>, state: RequestState): void {
  if (!s.facts.evidenceCaptured) return s.close(state);
  s.next.state = state;
  s.notify('record_documents', { system: true });
}

/** Stops the request as withdrawn or cancelled. */
const cancelRequest = (s: Step<'withdraw' | 'cancel'>): undefined => {
  closeOrAwaitCaseRecord(s, 'cancelled');
  s.next.lastReason = { by: s.actor.id, at: s.at, reason: s.reason };
  s.tellOthers();
  return undefined;
};

/** The workflow, one entry per action: what the action changes and whom it tells (who may take it, and from which states, is policy.ts). */
const TRANSITIONS: { [A in WorkflowAction]: Transition<A> } = {
  submit: (s) => {
    // A draft may be saved with answers missing; it goes to the team manager only complete.
    parseForm(investigationRequestSchema, s.request.form);
    const managerId = teamManagerFor(s.body, s.actor, s.facts);
    s.next.state = 'awaiting_team_manager';
    s.next.teamManagerId = managerId;
    s.next.submittedAt = s.at;
    s.next.lastReason = null;
    s.notify('agree_request', { personId: managerId });
    if (s.request.linkedFromRequestId) s.notify('linked_request_flag', { role: 'service_director', except: [s.actor.id, managerId] });
    return managerId !== s.facts.teamManager?.id ? { teamManagerChosen: managerId } : undefined;
  },
  agree: (s) => {
    const { note } = s.body;
    s.next.state = 'awaiting_service_director';
    s.next.agreement = { by: s.actor.id, at: s.at, ...(note ? { note } : {}) };
    s.notify('authorise_request', { role: 'service_director', except: participantIds(s.next) });
    s.notify('status_changed', { personId: s.request.originatingWorkerId });
    return note ? { note } : undefined;
  },
  decline: (s) => {
    s.close('declined');
    s.next.lastReason = { by: s.actor.id, at: s.at, reason: s.reason };
    s.notify('status_changed', { personId: s.request.originatingWorkerId });
    return undefined;
  },
  return: (s) => {
    s.next.state = 'draft';
    s.next.agreement = null;
    const role = s.request.state === 'awaiting_service_director' ? 'service_director' : 'team_manager';
    if (!s.request.returnedBy.some((r) => r.personId === s.actor.id)) s.next.returnedBy = [...s.request.returnedBy, { personId: s.actor.id, role }];
    s.next.lastReason = { by: s.actor.id, at: s.at, reason: s.reason };
    s.tellOthers();
    return undefined;
  },
  authorise: (s) => {
    const b = s.body;
    const scope = authorisedScope(s.request, b, s.today, s.settings);
    if (b.accessWorkerId) assertEligibleAccessWorker(s.request, s.facts.accessWorker, b.accessWorkerId, s.actor, s.today);
    s.next.authorisation = { by: s.actor.id, at: s.at, scope, ...(b.conditions ? { note: b.conditions } : {}) };
    if (b.accessWorkerId) {
      s.next.state = 'assigned';
      s.next.designatedAccessWorkerId = b.accessWorkerId;
      s.next.accessWorkerId = b.accessWorkerId;
      s.notify('assigned', { personId: b.accessWorkerId });
    } else {
      s.next.state = 'authorised';
      s.notify('claim_request', { role: 'access_worker', except: participantIds(s.next) });
    }
    for (const id of participantIds(s.request)) s.notify('status_changed', { personId: id });
    return { scope };
  },
  refuse: (s) => {
    s.close('refused');
    s.next.lastReason = { by: s.actor.id, at: s.at, reason: s.reason };
    s.tellOthers();
    return undefined;
  },
  claim: (s) => {
    s.next.state = 'assigned';
    s.next.accessWorkerId = s.actor.id;
    s.notify('status_changed', { personId: s.request.originatingWorkerId });
    return undefined;
  },
  assign: (s) => {
    const { accessWorkerId } = s.body;
    assertEligibleAccessWorker(s.next, s.facts.accessWorker, accessWorkerId, s.actor, s.today);
    s.next.state = 'assigned';
    s.next.accessWorkerId = accessWorkerId;
    s.next.designatedAccessWorkerId = accessWorkerId;
    s.notify('assigned', { personId: accessWorkerId });
    return { accessWorkerId };
  },
  'confirm-legitimacy': (s) => {
    s.next.state = 'searching';
    s.notify('status_changed', { personId: s.request.originatingWorkerId });
    return undefined;
  },
  'raise-doubt': (s) => {
    const raisedAs = s.part === 'originating_worker' ? 'originating_worker' : 'access_worker';
    s.next.state = 'on_hold';
    s.next.stateBeforeHold = s.request.state;
    s.next.lastReason = { by: s.actor.id, at: s.at, reason: s.reason };
    s.next.doubts = [...s.request.doubts, { raisedBy: s.actor.id, raisedAs, raisedAt: s.at, reason: s.reason ?? '', serviceManagerView: null, resolution: null }];
    // The service manager for the case's team gives a view first; the directors are asked once it is recorded.
    const manager = s.facts.serviceManager;
    if (manager && !participantIds(s.request).includes(manager.id)) s.notify('resolve_doubt', { personId: manager.id });
    else s.notify('resolve_doubt', { role: 'service_manager', except: participantIds(s.request) });
    // The other worker is told at once: the protocol asks the two to work together.
    for (const id of [s.request.originatingWorkerId, s.request.accessWorkerId]) if (id && id !== s.actor.id) s.notify('status_changed', { personId: id });
    return { raisedAs };
  },
  'record-doubt-view': (s) => {
    const open = openDoubt(s.request);
    if (!open) throw invalidState('No doubt is open on this request.');
    if (open.serviceManagerView) throw invalidState(`The service manager's view was recorded on ${formatDate(open.serviceManagerView.at)}: a service director now resolves the doubt.`);
    // As raise-doubt asks: the case's service manager when they play no other part on the request,
    // else any service manager who does not (the policy refuses participants).
    const manager = s.facts.serviceManager;
    if (manager && manager.id !== s.actor.id && !participantIds(s.request).includes(manager.id)) {
      throw ruleError('doubt_resolution', 'forbidden', `The service manager for this case’s team is ${manager.displayName}: they record the view on the doubt.`);
    }
    const view = { by: s.actor.id, at: s.at, note: s.reason ?? '' };
    s.next.doubts = s.request.doubts.map((d) => (d === open ? { ...d, serviceManagerView: view } : d));
    s.next.doubtResolvers = [...s.request.doubtResolvers.filter((r) => r.personId !== s.actor.id), { personId: s.actor.id, role: 'service_manager' }];
    s.notify('resolve_doubt', { role: 'service_director', except: participantIds(s.next).filter((id) => id !== s.request.authorisation?.by) });
    s.tellOthers();
    return undefined;
  },
  'resolve-doubt': (s) => {
    const b = s.body;
    const open = openDoubt(s.request);
    if (!open) throw invalidState('No doubt is open on this request.');
    if (!open.serviceManagerView) {
      throw ruleError('doubt_resolution', 'invalid_state', `${PROTOCOL_RULES.doubt_resolution} No view has been recorded yet.`);
    }
    s.next.doubtResolvers = [...s.request.doubtResolvers.filter((r) => r.personId !== s.actor.id), { personId: s.actor.id, role: 'service_director' }];
    s.next.doubts = s.request.doubts.map((d) => (d === open ? { ...d, resolution: { by: s.actor.id, at: s.at, outcome: b.outcome, note: b.reason } } : d));
    s.next.lastReason = { by: s.actor.id, at: s.at, reason: b.reason };
    if (b.outcome === 'resume') {
      s.next.state = s.request.stateBeforeHold ?? 'assigned';
    } else {
      closeOrAwaitCaseRecord(s, 'cancelled');
    }
    s.next.stateBeforeHold = null;
    s.tellOthers();
    return { outcome: b.outcome };
  },
  'complete-log': (s) => {
    assertLogComplete(s.request, s.facts.searchSessions);
    s.next.state = 'with_originating_worker';
    s.notify('log_ready', { personId: s.request.originatingWorkerId });
    return undefined;
  },
  finalise: (s) => {
    if (!s.request.log?.assessment) {
      throw validationError({ 'log.assessment': 'Record your assessment of the information before finalising the log.' }, 'The log has no assessment yet.');
    }
    s.next.state = 'finalised';
    // The request and log are filed as documents after the change commits, through the outbox.
    s.notify('record_documents', { system: true });
    return undefined;
  },
  share: (s) => {
    // Not closed yet: the originating worker still places the documents on the case record.
    s.next.state = 'shared';
    const serviceManagerId = serviceManagerFor(s.body, s.request, s.facts);
    const recipients = [s.request.teamManagerId, serviceManagerId, s.request.authorisation?.by].filter((id): id is string => Boolean(id));
    s.next.sharedWith = recipients.map((personId) => ({ personId, at: s.at }));
    for (const personId of recipients) s.notify('log_shared', { personId });
    // The log is filed again, saying with whom and when; the finalised version is kept.
    s.notify('record_documents', { system: true });
    return { sharedWith: s.next.sharedWith };
  },
  withdraw: cancelRequest,
  cancel: cancelRequest,
  'record-placement': (s) => {
    if (!awaitsCaseRecord(s.request)) throw invalidState('There are no filed documents waiting to be placed on the case record.');
    if (!s.facts.documentsFiled) {
      throw ruleError('case_record', 'invalid_state', 'The Investigation Request and Log are still being filed: record the placement once they appear on the request.');
    }
    s.next.caseRecordPlacement = { by: s.actor.id, at: s.at };
    if (s.request.state === 'shared') s.next.state = 'closed';
    s.next.closedAt = s.at;
    s.tellOthers();
    return { caseRecordPlacement: s.next.caseRecordPlacement };
  },
  'review-monitoring': (s) => {
    const b = s.body;
    const auth = s.request.authorisation;
    const monitoring = auth?.scope.monitoring;
    if (!auth || !monitoring) throw invalidState('This is a one-off check: there is no monitoring to review.');
    if (monitoring.endedOn) throw invalidState(`Monitoring ended on ${formatDate(monitoring.endedOn)}.`);
    let updated = { ...monitoring };
    if (b.decision === 'continue') {
      const nextReviewOn = b.nextReviewOn ?? '';
      if (nextReviewOn <= s.today) throw validationError({ nextReviewOn: 'The next review must be after today.' });
      if (nextReviewOn > monitoring.endDate) {
        throw validationError({ nextReviewOn: `The next review must be on or before the end of monitoring (${formatDate(monitoring.endDate)}).` });
      }
      updated = { ...updated, nextReviewOn };
    } else {
      updated = { ...updated, endedOn: s.today };
    }
    s.next.authorisation = { ...auth, scope: { ...auth.scope, monitoring: updated } };
    s.tellOthers();
    return { decision: b.decision, nextReviewOn: b.nextReviewOn, note: b.note };
  },
};

/** Decides one action. Throws AppError when the person, the state or the body does not allow it. */
export function decide<A extends WorkflowAction>(
  action: A,
  body: Body<A>,
  request: InvestigationRequest,
  actor: Person,
  now: Date,
  facts: ActionFacts = {},
  settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): Outcome {
  const allowed = can(actor, action, request, now);
  if (!allowed.ok) throw new AppError(allowed.code, allowed.message);
  const at = now.toISOString();
  const next: InvestigationRequest = { ...request, updatedAt: at };
  const notes: NotificationIntent[] = [];
  const reason = 'reason' in body && typeof body.reason === 'string' ? body.reason : undefined;
  const step: Step<A> = {
    body,
    request,
    next,
    actor,
    part: allowed.part,
    facts,
    settings,
    now,
    at,
    today: londonDate(now),
    reason,
    notify: (kind, to) => void notes.push({ kind, to }),
    tellOthers: () => {
      for (const id of participantIds(request)) if (id !== actor.id) notes.push({ kind: 'status_changed', to: { personId: id } });
    },
    close: (state) => {
      next.state = state;
      next.closedAt = at;
    },
  };
  const transition: Transition<A> = TRANSITIONS[action];
  const detail = transition(step);
  next.version = request.version + 1;
  notes.push({ kind: 'request_updated', to: { cards: true } });
  return {
    request: next,
    part: allowed.part,
    audit: { action, fromState: request.state, toState: next.state, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}) },
    notifications: notes,
  };
}

/**
 * The team manager a request goes to: the line manager in the directory when they hold the
 * team-manager role; otherwise one the worker chose who does.
 */
function teamManagerFor(b: Body<'submit'>, actor: Person, facts: ActionFacts): string {
  const route = teamManagerRoute(actor, facts.teamManager);
  if (route.kind === 'directory' && (!b.teamManagerId || b.teamManagerId === route.teamManager.id)) return route.teamManager.id;
  if (route.kind === 'directory') {
    throw ruleError('team_manager_role', 'validation', `Your team manager in the directory is ${route.teamManager.displayName}: the request goes to them.`, { teamManagerId: 'Leave this out: your line manager is a team manager.' });
  }
  if (!b.teamManagerId) {
    throw ruleError('team_manager_role', 'validation', `Choose a team manager to agree this request: ${route.why}.`, { teamManagerId: 'Choose a team manager.' });
  }
  const chosen = facts.chosenTeamManager;
  if (!chosen || chosen.id !== b.teamManagerId || !chosen.active || !hasRole(chosen, 'team_manager')) {
    throw ruleError('team_manager_role', 'validation', PROTOCOL_RULES.team_manager_role, { teamManagerId: 'Choose a person who holds the team-manager role.' });
  }
  if (chosen.id === actor.id) throw forbidden('You cannot agree your own request: another team manager must.');
  return chosen.id;
}

/** The service manager for the case's team: from the directory, or chosen by the worker when it names none. */
function serviceManagerFor(b: Body<'share'>, request: InvestigationRequest, facts: ActionFacts): string {
  const known = facts.serviceManager;
  if (known && hasRole(known, 'service_manager') && known.active) {
    if (b.serviceManagerId && b.serviceManagerId !== known.id) {
      throw ruleError('sharing', 'validation', `The service manager for this case’s team is ${known.displayName}: the log is shared with them.`, { serviceManagerId: 'Leave this out: the directory names the service manager.' });
    }
    return known.id;
  }
  if (!b.serviceManagerId) {
    throw ruleError('sharing', 'validation', 'The directory names no service manager for this case’s team: choose the service manager to share the log with.', { serviceManagerId: 'Choose a service manager.' });
  }
  const chosen = facts.chosenServiceManager;
  if (!chosen || chosen.id !== b.serviceManagerId || !chosen.active || !hasRole(chosen, 'service_manager')) {
    throw ruleError('sharing', 'validation', PROTOCOL_RULES.sharing, { serviceManagerId: 'Choose a person who holds the service-manager role.' });
  }
  if (chosen.id === request.originatingWorkerId) throw ruleError('sharing', 'validation', PROTOCOL_RULES.sharing, { serviceManagerId: 'Choose someone other than yourself.' });
  return chosen.id;
}

function participantIds(request: InvestigationRequest): string[] {
  return [...participants(request).keys()];
}

function authorisedScope(request: InvestigationRequest, b: Body<'authorise'>, today: string, settings: WorkflowSettings): Scope {
  const known = new Set(request.form.subjects.map((s) => s.id));
  const subjectIds = b.subjectIds ? [...new Set(b.subjectIds)] : [...known];
  const unknown = subjectIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw validationError({ subjectIds: 'Choose people named in this request: a further person needs a new, linked request.' });
  }
  // Through the whole London day it names: an exact instant 28 × 24 h on expired during the day shown as "use by".
  const latest = addCalendarDays(today, settings.authorisationValidDays);
  if (b.useBy !== undefined && (b.useBy < today || b.useBy > latest)) {
    throw validationError({ useBy: `Choose a use-by date from today to ${formatDate(latest)} (${settings.authorisationValidDays} days at most).` });
  }
  const useBy = londonDayEnd(b.useBy ?? latest).toISOString();
  // Submitted forms are complete (submit checks it); the check keeps the scope from trusting that.
  if (!isComplete(request.form)) throw invalidState('This request is missing answers and cannot be authorised.');
  const monitoring = request.form.monitoring;
  if (!monitoring) {
    if (b.reviewDates && b.reviewDates.length > 0) {
      throw validationError({ reviewDates: 'A one-off check has no review dates. Monitoring must be asked for in the request.' });
    }
    return { subjectIds, period: request.form.period, kind: 'one_off', useBy, ...(b.conditions ? { conditions: b.conditions } : {}) };
  }
  const reviewDates = [...new Set(b.reviewDates ?? [])].sort();
  const first = reviewDates[0];
  if (!first) throw validationError({ reviewDates: 'Monitoring needs at least one review date.' });
  if (first <= today) throw validationError({ reviewDates: 'Review dates must be after today.' });
  const last = reviewDates[reviewDates.length - 1] ?? first;
  if (last > monitoring.endDate) {
    throw validationError({ reviewDates: `Review dates must fall on or before the end of monitoring (${formatDate(monitoring.endDate)}).` });
  }
  return {
    subjectIds,
    period: request.form.period,
    kind: 'monitoring',
    monitoring: { frequency: monitoring.frequency, endDate: monitoring.endDate, reviewDates, nextReviewOn: first },
    useBy,
    ...(b.conditions ? { conditions: b.conditions } : {}),
  };
}

function assertEligibleAccessWorker(request: InvestigationRequest, worker: Person | null | undefined, id: string, actor: Person, today: string): void {
  if (!worker || worker.id !== id || !worker.active || !hasRole(worker, 'access_worker')) {
    throw validationError({ accessWorkerId: 'Choose a person on the access worker register.' });
  }
  const taken = participantIds(request).concat(actor.id);
  if (taken.includes(worker.id)) {
    throw validationError({ accessWorkerId: `${worker.displayName} already holds another role on this request: choose someone else.` });
  }
  const standing = accessWorkerStanding(worker, today);
  if (standing) throw validationError({ accessWorkerId: standingMessage(standing, worker, worker.displayName) });
}

function assertLogComplete(request: InvestigationRequest, sessions: ActionFacts['searchSessions']): void {
  const fields: Record<string, string> = {};
  if (!sessions || sessions.held === 0) fields.searchSessions = 'Hold at least one timed search session before completing the log.';
  if (sessions && sessions.open > 0) fields.searchSessions = 'End the search session that is still running.';
  const inScope = request.authorisation?.scope.subjectIds ?? [];
  const found = new Set((request.log?.findings ?? []).map((f) => f.subjectId));
  inScope.forEach((id) => {
    if (!found.has(id)) fields[`findings.${id}`] = 'Record what was found (or not found) for every person in scope.';
  });
  if (Object.keys(fields).length > 0) throw validationError(fields, 'The log is not complete yet.');
}

/**
 * A change that time makes without anyone acting: an unused authorisation expires, and an
 * unreviewed monitoring authorisation lapses. Returns null when nothing is due.
 */
export function dueExpiry(request: InvestigationRequest, now: Date): { reason: string } | null {
  const auth = request.authorisation;
  if (!auth) return null;
  const today = londonDate(now);
  // Confirming legitimacy is not a use: until a first search session starts, the clock runs on.
  if (['authorised', 'assigned', 'searching'].includes(request.state) && !request.firstSearchStartedAt && auth.scope.useBy <= now.toISOString()) {
    return { reason: `The authorisation was not used by ${formatDate(auth.scope.useBy)}.` };
  }
  const monitoring = auth.scope.monitoring;
  if (monitoring && !monitoring.endedOn && ['authorised', 'assigned', 'searching', 'on_hold'].includes(request.state) && monitoring.nextReviewOn < today) {
    return { reason: `Monitoring was not reviewed by ${formatDate(monitoring.nextReviewOn)}, so the authorisation lapsed.` };
  }
  return null;
}

export function expire(request: InvestigationRequest, now: Date, reason: string, evidenceCaptured = false): Outcome {
  const at = now.toISOString();
  // With evidence captured, the request closes when its documents are placed on the case record.
  const next: InvestigationRequest = { ...request, state: 'expired', closedAt: evidenceCaptured ? null : at, updatedAt: at, version: request.version + 1, lastReason: { by: 'system', at, reason } };
  return {
    request: next,
    part: 'system',
    audit: { action: 'expire', fromState: request.state, toState: 'expired', reason },
    notifications: [
      ...participantIds(request).map((personId) => ({ kind: 'status_changed' as const, to: { personId } })),
      { kind: 'request_updated', to: { cards: true } },
      ...(evidenceCaptured ? [{ kind: 'record_documents' as const, to: { system: true as const } }] : []),
    ],
  };
}

export function assertSubjectInScope(request: InvestigationRequest, subjectId: string, field: string): void {
  if (!request.authorisation?.scope.subjectIds.includes(subjectId)) {
    throw new AppError('forbidden', 'That person is outside the authorised scope: a further person needs a new, linked request.', {
      [field]: 'Not in the authorised scope.',
    });
  }
}
