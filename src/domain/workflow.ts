/**
 * The workflow engine: given a request, a person, an action and its validated body, it decides
 * the next state, what changes, what the audit trail records and whom to notify. No I/O: the
 * use case loads the facts it needs and writes the outcome in one transaction.
 */
import { addDays, formatDate, londonDate } from './dates';
import { AppError, forbidden, invalidState, validationError } from './errors';
import type { ActionBodies } from './forms';
import { can, participants, type Part } from './policy';
import { PROTOCOL_RULES, ruleError } from './protocol';
import { awaitsCaseRecord, openDoubt, type InvestigationRequest, type Scope } from './request';
import { hasRole, type Person, type Role } from './roles';
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
  'reminder_case_record_due',
  'record_documents',
  'holder_lost_role',
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
  const today = londonDate(now);
  const next: InvestigationRequest = { ...request, updatedAt: at };
  const from = request.state;
  const notes: NotificationIntent[] = [];
  const reason = 'reason' in body && typeof body.reason === 'string' ? body.reason : undefined;
  let detail: Record<string, unknown> | undefined;
  const close = (state: RequestState) => {
    next.state = state;
    next.closedAt = at;
  };
  // Evidence captured is part of the case record: the log is filed as it stands, and the request
  // closes only when the originating worker records that the documents are on the case record.
  const closeOrAwaitCaseRecord = (state: RequestState) => {
    if (!facts.evidenceCaptured) return close(state);
    next.state = state;
    notes.push({ kind: 'record_documents', to: { system: true } });
  };
  const participants = () => participantIds(request).filter((id) => id !== actor.id);

  switch (action) {
    case 'submit': {
      const managerId = teamManagerFor(body as Body<'submit'>, actor, facts);
      next.state = 'awaiting_team_manager';
      next.teamManagerId = managerId;
      next.submittedAt = at;
      next.lastReason = null;
      if (managerId !== facts.teamManager?.id) detail = { teamManagerChosen: managerId };
      notes.push({ kind: 'agree_request', to: { personId: managerId } });
      if (request.linkedFromRequestId) {
        notes.push({ kind: 'linked_request_flag', to: { role: 'service_director', except: [actor.id, managerId] } });
      }
      break;
    }
    case 'agree': {
      const { note } = body as Body<'agree'>;
      next.state = 'awaiting_service_director';
      next.agreement = { by: actor.id, at, ...(note ? { note } : {}) };
      notes.push({ kind: 'authorise_request', to: { role: 'service_director', except: participantIds(next) } });
      notes.push({ kind: 'status_changed', to: { personId: request.originatingWorkerId } });
      detail = note ? { note } : undefined;
      break;
    }
    case 'decline':
      close('declined');
      next.lastReason = { by: actor.id, at, reason };
      notes.push({ kind: 'status_changed', to: { personId: request.originatingWorkerId } });
      break;
    case 'return':
      next.state = 'draft';
      next.agreement = null;
      next.lastReason = { by: actor.id, at, reason };
      for (const id of participants()) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    case 'authorise': {
      const b = body as Body<'authorise'>;
      const scope = authorisedScope(request, b, now, today, settings);
      if (b.accessWorkerId) assertEligibleAccessWorker(request, facts.accessWorker, b.accessWorkerId, actor, today);
      next.authorisation = { by: actor.id, at, scope, ...(b.conditions ? { note: b.conditions } : {}) };
      detail = { scope };
      if (b.accessWorkerId) {
        next.state = 'assigned';
        next.designatedAccessWorkerId = b.accessWorkerId;
        next.accessWorkerId = b.accessWorkerId;
        notes.push({ kind: 'assigned', to: { personId: b.accessWorkerId } });
      } else {
        next.state = 'authorised';
        notes.push({ kind: 'claim_request', to: { role: 'access_worker', except: participantIds(next) } });
      }
      for (const id of participantIds(request)) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    }
    case 'refuse':
      close('refused');
      next.lastReason = { by: actor.id, at, reason };
      for (const id of participants()) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    case 'claim':
      next.state = 'assigned';
      next.accessWorkerId = actor.id;
      notes.push({ kind: 'status_changed', to: { personId: request.originatingWorkerId } });
      break;
    case 'assign': {
      const { accessWorkerId } = body as Body<'assign'>;
      assertEligibleAccessWorker(next, facts.accessWorker, accessWorkerId, actor, today);
      next.state = 'assigned';
      next.accessWorkerId = accessWorkerId;
      next.designatedAccessWorkerId = accessWorkerId;
      notes.push({ kind: 'assigned', to: { personId: accessWorkerId } });
      detail = { accessWorkerId };
      break;
    }
    case 'confirm-legitimacy':
      next.state = 'searching';
      notes.push({ kind: 'status_changed', to: { personId: request.originatingWorkerId } });
      break;
    case 'raise-doubt': {
      const raisedAs = allowed.part === 'originating_worker' ? 'originating_worker' : 'access_worker';
      next.state = 'on_hold';
      next.stateBeforeHold = request.state;
      next.lastReason = { by: actor.id, at, reason };
      next.doubts = [...request.doubts, { raisedBy: actor.id, raisedAs, raisedAt: at, reason: reason ?? '', serviceManagerView: null, resolution: null }];
      detail = { raisedAs };
      // The service manager for the case's team gives a view first; the directors are asked once it is recorded.
      const manager = facts.serviceManager;
      if (manager && !participantIds(request).includes(manager.id)) notes.push({ kind: 'resolve_doubt', to: { personId: manager.id } });
      else notes.push({ kind: 'resolve_doubt', to: { role: 'service_manager', except: participantIds(request) } });
      // The other worker is told at once: the protocol asks the two to work together.
      for (const id of [request.originatingWorkerId, request.accessWorkerId]) if (id && id !== actor.id) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    }
    case 'record-doubt-view': {
      const open = openDoubt(request);
      if (!open) throw invalidState('No doubt is open on this request.');
      if (open.serviceManagerView) throw invalidState(`The service manager's view was recorded on ${formatDate(open.serviceManagerView.at)}: a service director now resolves the doubt.`);
      const manager = facts.serviceManager;
      if (manager && manager.id !== actor.id) {
        throw ruleError('doubt_resolution', 'forbidden', `The service manager for this case’s team is ${manager.displayName}: they record the view on the doubt.`);
      }
      const view = { by: actor.id, at, note: reason ?? '' };
      next.doubts = request.doubts.map((d) => (d === open ? { ...d, serviceManagerView: view } : d));
      next.doubtResolvers = [...request.doubtResolvers.filter((r) => r.personId !== actor.id), { personId: actor.id, role: 'service_manager' }];
      notes.push({ kind: 'resolve_doubt', to: { role: 'service_director', except: participantIds(next).filter((id) => id !== request.authorisation?.by) } });
      for (const id of participants()) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    }
    case 'resolve-doubt': {
      const b = body as Body<'resolve-doubt'>;
      const open = openDoubt(request);
      if (!open) throw invalidState('No doubt is open on this request.');
      if (!open.serviceManagerView) {
        throw ruleError('doubt_resolution', 'invalid_state', `${PROTOCOL_RULES.doubt_resolution} No view has been recorded yet.`);
      }
      next.doubtResolvers = [...request.doubtResolvers.filter((r) => r.personId !== actor.id), { personId: actor.id, role: 'service_director' }];
      next.doubts = request.doubts.map((d) => (d === open ? { ...d, resolution: { by: actor.id, at, outcome: b.outcome, note: b.reason } } : d));
      next.lastReason = { by: actor.id, at, reason: b.reason };
      if (b.outcome === 'resume') {
        next.state = request.stateBeforeHold ?? 'assigned';
      } else {
        closeOrAwaitCaseRecord('cancelled');
      }
      next.stateBeforeHold = null;
      detail = { outcome: b.outcome };
      for (const id of participants()) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    }
    case 'complete-log': {
      assertLogComplete(request, facts.searchSessions);
      next.state = 'with_originating_worker';
      notes.push({ kind: 'log_ready', to: { personId: request.originatingWorkerId } });
      break;
    }
    case 'finalise':
      if (!request.log?.assessment) {
        throw validationError({ 'log.assessment': 'Record your assessment of the information before finalising the log.' }, 'The log has no assessment yet.');
      }
      next.state = 'finalised';
      // The request and log are filed as documents after the change commits, through the outbox.
      notes.push({ kind: 'record_documents', to: { system: true } });
      break;
    case 'share': {
      // Not closed yet: the originating worker still places the documents on the case record.
      next.state = 'shared';
      const serviceManagerId = serviceManagerFor(body as Body<'share'>, request, facts);
      const recipients = [request.teamManagerId, serviceManagerId, request.authorisation?.by].filter((id): id is string => Boolean(id));
      next.sharedWith = recipients.map((personId) => ({ personId, at }));
      detail = { sharedWith: next.sharedWith };
      for (const personId of recipients) notes.push({ kind: 'log_shared', to: { personId } });
      // The log is filed again, saying with whom and when; the finalised version is kept.
      notes.push({ kind: 'record_documents', to: { system: true } });
      break;
    }
    case 'withdraw':
    case 'cancel':
      closeOrAwaitCaseRecord('cancelled');
      next.lastReason = { by: actor.id, at, reason };
      for (const id of participants()) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    case 'record-placement': {
      if (!awaitsCaseRecord(request)) throw invalidState('There are no filed documents waiting to be placed on the case record.');
      if (!facts.documentsFiled) {
        throw ruleError('case_record', 'invalid_state', 'The Investigation Request and Log are still being filed: record the placement once they appear on the request.');
      }
      next.caseRecordPlacement = { by: actor.id, at };
      if (request.state === 'shared') next.state = 'closed';
      next.closedAt = at;
      detail = { caseRecordPlacement: next.caseRecordPlacement };
      for (const id of participants()) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    }
    case 'review-monitoring': {
      const b = body as Body<'review-monitoring'>;
      const auth = request.authorisation;
      const monitoring = auth?.scope.monitoring;
      if (!auth || !monitoring) throw invalidState('This is a one-off check: there is no monitoring to review.');
      if (monitoring.endedOn) throw invalidState(`Monitoring ended on ${formatDate(monitoring.endedOn)}.`);
      let updated = { ...monitoring };
      if (b.decision === 'continue') {
        const nextReviewOn = b.nextReviewOn ?? '';
        if (nextReviewOn <= today) throw validationError({ nextReviewOn: 'The next review must be after today.' });
        if (nextReviewOn > monitoring.endDate) {
          throw validationError({ nextReviewOn: `The next review must be on or before the end of monitoring (${formatDate(monitoring.endDate)}).` });
        }
        updated = { ...updated, nextReviewOn };
      } else {
        updated = { ...updated, endedOn: today };
      }
      next.authorisation = { ...auth, scope: { ...auth.scope, monitoring: updated } };
      detail = { decision: b.decision, nextReviewOn: b.nextReviewOn, note: b.note };
      for (const id of participants()) notes.push({ kind: 'status_changed', to: { personId: id } });
      break;
    }
  }
  next.version = request.version + 1;
  notes.push({ kind: 'request_updated', to: { cards: true } });
  return {
    request: next,
    part: allowed.part,
    audit: { action, fromState: from, toState: next.state, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}) },
    notifications: notes,
  };
}

/**
 * The team manager a request goes to: the line manager in the directory when they hold the
 * team-manager role; otherwise one the worker chose who does.
 */
function teamManagerFor(b: Body<'submit'>, actor: Person, facts: ActionFacts): string {
  const line = facts.teamManager;
  const lineIsManager = Boolean(line?.active && hasRole(line, 'team_manager') && line.id !== actor.id);
  if (lineIsManager && line && (!b.teamManagerId || b.teamManagerId === line.id)) return line.id;
  if (lineIsManager && line) {
    throw ruleError('team_manager_role', 'validation', `Your team manager in the directory is ${line.displayName}: the request goes to them.`, { teamManagerId: 'Leave this out: your line manager is a team manager.' });
  }
  if (!b.teamManagerId) {
    const why = line ? `${line.displayName}, your manager in the directory, is not a team manager` : 'you have no manager in the directory';
    throw ruleError('team_manager_role', 'validation', `Choose a team manager to agree this request: ${why}.`, { teamManagerId: 'Choose a team manager.' });
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

function authorisedScope(request: InvestigationRequest, b: Body<'authorise'>, now: Date, today: string, settings: WorkflowSettings): Scope {
  const known = new Set(request.form.subjects.map((s) => s.id));
  const subjectIds = b.subjectIds ? [...new Set(b.subjectIds)] : [...known];
  const unknown = subjectIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw validationError({ subjectIds: 'Choose people named in this request: a further person needs a new, linked request.' });
  }
  const useBy = addDays(now, settings.authorisationValidDays).toISOString();
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
  if (worker.accessWorkerAuthorisedUntil && worker.accessWorkerAuthorisedUntil < today) {
    throw validationError({ accessWorkerId: `${worker.displayName}'s access worker authorisation has ended.` });
  }
  const taken = participantIds(request).concat(actor.id);
  if (taken.includes(worker.id)) {
    throw validationError({ accessWorkerId: `${worker.displayName} already holds another role on this request: choose someone else.` });
  }
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
  if ((request.state === 'authorised' || request.state === 'assigned') && !request.firstSearchStartedAt && auth.scope.useBy <= now.toISOString()) {
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
