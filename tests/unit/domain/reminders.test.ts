import type { InvestigationRequest } from '../../../src/domain/request';
import { DEFAULT_REMINDER_SETTINGS, dueReminders, isOverdue } from '../../../src/domain/reminders';
import { requestIn } from './fixtures';

describe('reminders', () => {
  test('a team manager is chased after more than two working days', () => {
    const waiting = { ...requestIn('awaiting_team_manager'), submittedAt: '2026-11-20T09:00:00.000Z' }; // a Friday
    expect(dueReminders(waiting, new Date('2026-11-24T09:00:00Z'))).toEqual([]); // Mon, Tue: two working days
    expect(dueReminders(waiting, new Date('2026-11-25T09:00:00Z'))).toEqual([
      { kind: 'reminder_decision_waiting', to: { personId: 'tm' }, key: 'tm:2026-11-20T09:00:00.000Z' },
    ]);
  });
  test('the directors are chased when an agreed request waits', () => {
    const waiting = { ...requestIn('awaiting_service_director'), agreement: { by: 'tm', at: '2026-11-18T09:00:00.000Z' } };
    expect(dueReminders(waiting, new Date('2026-11-25T09:00:00Z'))).toEqual([
      { kind: 'reminder_decision_waiting', to: { role: 'service_director', except: ['osw', 'tm'] }, key: 'sd:2026-11-18T09:00:00.000Z' },
    ]);
  });
  test('feedback is due after sharing, then the six-month follow-up', () => {
    // Shared on 01/06 and already on the case record, so only the feedback reminders are due.
    const shared = { ...requestIn('closed'), sharedWith: [{ personId: 'tm', at: '2026-06-01T09:00:00.000Z' }] };
    expect(dueReminders(shared, new Date('2026-06-03T09:00:00Z'))).toEqual([]);
    expect(dueReminders(shared, new Date('2026-06-06T09:00:00Z')).map((r) => r.kind)).toEqual(['reminder_feedback_due']);
    const withFeedback = { ...shared, feedback: { timesUsed: 1, usefulPieces: 1, uniquePieces: 1, contribution: 'some' as const } };
    expect(dueReminders(withFeedback, new Date('2026-11-25T09:00:00Z'))).toEqual([]);
    expect(dueReminders(withFeedback, new Date('2026-11-30T09:00:00Z')).map((r) => r.kind)).toEqual(['reminder_follow_up_due']);
    const followedUp = { ...withFeedback, feedback: { ...withFeedback.feedback, followUp: { longerTermUsefulness: 'some' as const } } };
    expect(dueReminders(followedUp, new Date('2026-12-30T09:00:00Z'))).toEqual([]);
  });
  test('the originating worker is reminded to place the filed documents on the case record, two days on and then weekly, until she records it', () => {
    const shared = { ...requestIn('shared'), sharedWith: [{ personId: 'tm', at: '2026-06-01T09:00:00.000Z' }], feedback: { timesUsed: 1, usefulPieces: 1, uniquePieces: 1, contribution: 'some' as const } };
    const due = (at: string, request: InvestigationRequest = shared) => dueReminders(request, new Date(at)).filter((r) => r.kind === 'reminder_case_record_due');
    expect(due('2026-06-03T08:59:00Z')).toEqual([]);
    expect(due('2026-06-03T09:00:00Z')).toEqual([{ kind: 'reminder_case_record_due', to: { personId: 'osw' }, key: 'case-record:0' }]);
    expect(due('2026-06-10T09:00:00Z').map((r) => r.key)).toEqual(['case-record:1']);
    const stopped = { ...requestIn('cancelled'), lastReason: { by: 'sd', at: '2026-06-01T09:00:00.000Z', reason: 'Stop' } };
    expect(due('2026-06-03T09:00:00Z', stopped).map((r) => r.key)).toEqual(['case-record:0']);
    expect(due('2026-06-03T09:00:00Z', { ...stopped, closedAt: '2026-06-01T09:00:00.000Z' })).toEqual([]);
    expect(due('2026-06-30T09:00:00Z', { ...shared, state: 'closed', caseRecordPlacement: { by: 'osw', at: '2026-06-02T09:00:00.000Z' } })).toEqual([]);
  });
  test('a monitoring review is announced to the directors three days ahead', () => {
    const searching = requestIn('searching'); // next review 15/12/2026
    expect(dueReminders(searching, new Date('2026-12-11T09:00:00Z'), DEFAULT_REMINDER_SETTINGS)).toEqual([]);
    expect(dueReminders(searching, new Date('2026-12-12T09:00:00Z'))).toEqual([
      { kind: 'reminder_monitoring_review_due', to: { role: 'service_director', except: ['osw', 'tm', 'aaw'] }, key: 'review:2026-12-15' },
    ]);
  });
  test('a request is overdue once a step is later than the reminder settings allow, not when a review is only coming up', () => {
    const waiting = { ...requestIn('awaiting_team_manager'), submittedAt: '2026-11-20T09:00:00.000Z' }; // a Friday
    expect(isOverdue(waiting, new Date('2026-11-24T09:00:00Z'))).toBe(false);
    expect(isOverdue(waiting, new Date('2026-11-25T09:00:00Z'))).toBe(true);
    expect(isOverdue(waiting, new Date('2026-11-24T09:00:00Z'), { ...DEFAULT_REMINDER_SETTINGS, decisionWorkingDays: 1 })).toBe(true);
    const shared = { ...requestIn('shared'), sharedWith: [{ personId: 'tm', at: '2026-06-01T09:00:00.000Z' }] };
    expect(isOverdue(shared, new Date('2026-06-03T09:00:00Z'))).toBe(false);
    expect(isOverdue(shared, new Date('2026-06-06T09:00:00Z'))).toBe(true);
    const searching = requestIn('searching'); // next review 15/12/2026
    expect(isOverdue(searching, new Date('2026-12-12T09:00:00Z'))).toBe(false);
    expect(isOverdue(searching, new Date('2026-12-16T09:00:00Z'))).toBe(true);
  });
});
