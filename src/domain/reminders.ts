/**
 * Reminders the protocol needs: a decision left waiting, feedback due after access, the pilot's
 * six-month follow-up, and a monitoring review coming up. Pure: given a request and the time, which
 * reminders are due, for whom, and under which key (so each is sent once).
 */
import { addDays, londonDate, workingDaysBetween } from './dates';
import { awaitsCaseRecord, type InvestigationRequest } from './request';
import type { NotificationIntent } from './workflow';

export interface ReminderSettings {
  /** A decision waiting longer than this many working days is chased. */
  decisionWorkingDays: number;
  /** Feedback is due this many days after the log is shared. */
  feedbackDays: number;
  /** The follow-up on longer-term usefulness is due this many days after sharing. */
  followUpDays: number;
  /** The director is reminded this many days before a monitoring review date. */
  monitoringReviewNoticeDays: number;
  /** A decision waiting longer than this many working days is escalated to the service manager, once. */
  escalateAfterWorkingDays: number;
  /**
   * Filed documents not yet placed on the case record: the originating worker is reminded this many
   * days after they were due (shared, or the request stopped with evidence), then every week.
   */
  caseRecordDays: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { decisionWorkingDays: 2, feedbackDays: 5, followUpDays: 182, monitoringReviewNoticeDays: 3, escalateAfterWorkingDays: 5, caseRecordDays: 2 };

export interface DueReminder extends NotificationIntent {
  /** The same key is never sent twice for the same request and kind. */
  key: string;
}

export function dueReminders(request: InvestigationRequest, now: Date, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): DueReminder[] {
  const due: DueReminder[] = [];
  const waitingSince = (since: string | null | undefined) => (since ? workingDaysBetween(new Date(since), now) > settings.decisionWorkingDays : false);
  if (request.state === 'awaiting_team_manager' && request.teamManagerId && waitingSince(request.submittedAt)) {
    due.push({ kind: 'reminder_decision_waiting', to: { personId: request.teamManagerId }, key: `tm:${request.submittedAt ?? ''}` });
  }
  if (request.state === 'awaiting_service_director' && waitingSince(request.agreement?.at)) {
    const except = [...new Set([request.originatingWorkerId, request.teamManagerId, request.agreement?.by])].filter((id): id is string => Boolean(id));
    due.push({ kind: 'reminder_decision_waiting', to: { role: 'service_director', except }, key: `sd:${request.agreement?.at ?? ''}` });
  }
  const sharedAt = request.sharedWith[0]?.at;
  if ((request.state === 'shared' || request.state === 'closed') && sharedAt) {
    const shared = new Date(sharedAt);
    if (!request.feedback && now >= addDays(shared, settings.feedbackDays)) {
      due.push({ kind: 'reminder_feedback_due', to: { personId: request.originatingWorkerId }, key: 'feedback' });
    }
    if (request.feedback && !request.feedback.followUp && now >= addDays(shared, settings.followUpDays)) {
      due.push({ kind: 'reminder_follow_up_due', to: { personId: request.originatingWorkerId }, key: 'follow-up' });
    }
  }
  if (awaitsCaseRecord(request)) {
    const dueSince = sharedAt ?? request.lastReason?.at ?? request.updatedAt;
    const days = Math.floor((now.getTime() - new Date(dueSince).getTime()) / 86_400_000) - settings.caseRecordDays;
    // Once when due, then once a week until it is recorded: the key names the week.
    if (days >= 0) due.push({ kind: 'reminder_case_record_due', to: { personId: request.originatingWorkerId }, key: `case-record:${Math.floor(days / 7)}` });
  }
  const monitoring = request.authorisation?.scope.monitoring;
  if (monitoring && !monitoring.endedOn && ['authorised', 'assigned', 'searching', 'on_hold'].includes(request.state)) {
    const noticeFrom = londonDate(addDays(new Date(`${monitoring.nextReviewOn}T12:00:00Z`), -settings.monitoringReviewNoticeDays));
    if (londonDate(now) >= noticeFrom) {
      const except = [request.originatingWorkerId, request.teamManagerId, request.accessWorkerId].filter((id): id is string => Boolean(id));
      due.push({ kind: 'reminder_monitoring_review_due', to: { role: 'service_director', except }, key: `review:${monitoring.nextReviewOn}` });
    }
  }
  return due;
}

/** Reminders that mean a step is late; a monitoring review coming up is notice, not lateness. */
const LATE_KINDS: readonly DueReminder['kind'][] = ['reminder_decision_waiting', 'reminder_feedback_due', 'reminder_follow_up_due'];

/**
 * Whether the request's next step is overdue by the reminder settings: a decision left longer than
 * they allow, feedback or the follow-up past due, or a monitoring review date gone by.
 */
export function isOverdue(request: InvestigationRequest, now: Date, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): boolean {
  if (dueReminders(request, now, settings).some((r) => LATE_KINDS.includes(r.kind))) return true;
  const monitoring = request.authorisation?.scope.monitoring;
  return Boolean(monitoring && !monitoring.endedOn && ['authorised', 'assigned', 'searching', 'on_hold'].includes(request.state) && monitoring.nextReviewOn < londonDate(now));
}
