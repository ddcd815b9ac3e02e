/** Each rule of DESIGN.md §2 that the engine and the forms enforce, one test (or more) per rule. */
import { formatDate } from '../../../src/domain/dates';
import { assertCaptureTimeAllowed } from '../../../src/domain/protocol';
import { AppError } from '../../../src/domain/errors';
import { actionBodySchemas, draftRequestSchema, evidenceMetadataSchema, feedbackSchema, investigationLogSchema, investigationRequestSchema, parseForm } from '../../../src/domain/forms';
import { can, participants } from '../../../src/domain/policy';
import { assertSubjectInScope, decide, dueExpiry, expire } from '../../../src/domain/workflow';
import { NOW, PEOPLE, requestIn } from './fixtures';

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const validRequest = {
  caseReference: 'CM-42',
  children: [{ name: 'Child A' }],
  concernCategories: ['misleading_information'],
  concernDetails: 'Claimed separation',
  justification: 'To triangulate',
  subjects: [{ kind: 'service_user', name: 'Jane Doe' }],
  period: { from: '2026-06-01', to: '2026-11-01' },
  monitoring: null,
  neededBy: '2026-12-20',
};

describe('one person never holds two roles on the same request', () => {
  test('the team manager who agreed cannot authorise, though they hold the director role', () => {
    const error = refusal(() => decide('authorise', { version: 7, reviewDates: ['2026-12-15'] }, requestIn('awaiting_service_director'), PEOPLE.tm, NOW));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe('You cannot authorise a request you agreed as team manager: one person never holds two roles on the same request.');
  });
  test('the originating worker cannot claim their own request, though they are an access worker', () => {
    const error = refusal(() => decide('claim', { version: 7 }, requestIn('authorised'), PEOPLE.osw, NOW));
    expect(error.message).toBe('You cannot claim a request you raised: one person never holds two roles on the same request.');
  });
  test('the authorising director cannot be assigned as the access worker', () => {
    const error = refusal(() => decide('assign', { version: 7, accessWorkerId: 'sd' }, requestIn('authorised'), PEOPLE.sd2, NOW, { accessWorker: { ...PEOPLE.sd, roles: ['service_director', 'access_worker'] } }));
    expect(error.code).toBe('validation');
    expect(error.fields).toEqual({ accessWorkerId: 'sd already holds another role on this request: choose someone else.' });
  });
  test('after a claim the request records exactly one part per person', () => {
    const outcome = decide('claim', { version: 7 }, requestIn('authorised'), PEOPLE.aaw2, NOW);
    expect([...participants(outcome.request).entries()]).toEqual([
      ['osw', 'originating_worker'],
      ['tm', 'team_manager'],
      ['sd', 'service_director'],
      ['aaw2', 'access_worker'],
    ]);
  });
  test('only the originator’s own line manager, or their named deputy, may agree', () => {
    const otherManager = { ...PEOPLE.tm, id: 'tm-other' };
    expect(refusal(() => decide('agree', { version: 7, note: 'Discussed in supervision.' }, requestIn('awaiting_team_manager'), otherManager, NOW)).message).toBe(
      "Only the originating social worker's team manager or their named deputy may agree this request.",
    );
    // A deputy decides as the team manager, and then holds that part.
    const agreed = decide('agree', { version: 7, note: 'Discussed in supervision.' }, requestIn('awaiting_team_manager'), PEOPLE.deputy, NOW);
    expect(agreed.part).toBe('team_manager');
    expect(participants(agreed.request).get('deputy')).toBe('team_manager');
    // Once the period is over (nobody stood in for), the deputy cannot even see it.
    expect(refusal(() => decide('agree', { version: 7, note: 'Discussed in supervision.' }, requestIn('awaiting_team_manager'), { ...PEOPLE.deputy, standsInFor: [] }, NOW)).code).toBe('not_found');
  });
  test('a deputy who raised the request cannot agree it', () => {
    const raisedByDeputy = { ...requestIn('awaiting_team_manager'), originatingWorkerId: 'deputy' };
    const deputyWorker = { ...PEOPLE.deputy, roles: [...PEOPLE.deputy.roles, 'social_worker' as const] };
    expect(refusal(() => decide('agree', { version: 7, note: 'Discussed in supervision.' }, raisedByDeputy, deputyWorker, NOW)).message).toBe(
      'You cannot agree a request you raised: one person never holds two roles on the same request.',
    );
  });
  test('whoever returned a request holds that part: a deputy team manager who returned it cannot later authorise it as director, nor a director who returned it agree it as deputy', () => {
    // `deputyDirector` stands in for tm and is also a service director.
    const deputyDirector = { ...PEOPLE.deputy, id: 'dd', roles: ['team_manager' as const, 'service_director' as const] };
    const returned = decide('return', { version: 7, reason: 'Say which posts.' }, requestIn('awaiting_team_manager', { monitoring: false }), deputyDirector, NOW).request;
    expect(returned.returnedBy).toEqual([{ personId: 'dd', role: 'team_manager' }]);
    const resubmitted = decide('submit', { version: returned.version }, returned, PEOPLE.osw, NOW, { teamManager: PEOPLE.tm }).request;
    const agreed = decide('agree', { version: resubmitted.version, note: 'Discussed in supervision.' }, resubmitted, PEOPLE.tm, NOW).request;
    expect(refusal(() => decide('authorise', { version: agreed.version }, agreed, deputyDirector, NOW)).message).toMatch(/one person never holds two roles on the same request/);
    expect(decide('authorise', { version: agreed.version }, agreed, PEOPLE.sd, NOW).request.state).toBe('authorised');

    const returnedByDirector = decide('return', { version: 7, reason: 'Narrow the period.' }, requestIn('awaiting_service_director', { monitoring: false }), deputyDirector, NOW).request;
    expect(returnedByDirector.returnedBy).toEqual([{ personId: 'dd', role: 'service_director' }]);
    const again = decide('submit', { version: returnedByDirector.version }, returnedByDirector, PEOPLE.osw, NOW, { teamManager: PEOPLE.tm }).request;
    expect(refusal(() => decide('agree', { version: again.version, note: 'Discussed in supervision.' }, again, deputyDirector, NOW)).message).toMatch(/one person never holds two roles on the same request/);
  });
  test('submitting without a line manager in the directory asks the worker to choose a team manager', () => {
    const error = refusal(() => decide('submit', { version: 7 }, requestIn('draft'), PEOPLE.osw, NOW, { teamManager: null }));
    expect(error).toMatchObject({ code: 'validation', rule: 'team_manager_role', fields: { teamManagerId: 'Choose a team manager.' } });
    expect(error.message).toMatch(/you have no manager in the directory/);
  });
});

describe('decisions that return, decline, refuse, cancel or raise doubt require a written reason', () => {
  test.each(['decline', 'return', 'refuse', 'withdraw', 'cancel', 'raise-doubt', 'resolve-doubt'] as const)('%s without a reason is a 400 naming “reason”', (action) => {
    const error = refusal(() => parseForm(actionBodySchemas[action], { version: 3, outcome: 'resume' }));
    expect(error.code).toBe('validation');
    expect(error.fields?.reason).toBe('Enter a reason.');
    expect(refusal(() => parseForm(actionBodySchemas[action], { version: 3, outcome: 'resume', reason: '   ' })).fields?.reason).toBe('Enter a reason.');
  });
  test('the team manager agrees with a supervision note (DESIGN §3): without one, or with only spaces, a 400 naming “note”', () => {
    expect(refusal(() => parseForm(actionBodySchemas.agree, { version: 3 })).fields).toEqual({ note: 'Enter the supervision note.' });
    expect(refusal(() => parseForm(actionBodySchemas.agree, { version: 3, note: '   ' })).fields).toEqual({ note: 'Enter the supervision note.' });
    const agreed = decide('agree', parseForm(actionBodySchemas.agree, { version: 7, note: ' Seen in supervision on 24/11. ' }), requestIn('awaiting_team_manager'), PEOPLE.tm, NOW);
    expect(agreed.request.agreement).toEqual({ by: 'tm', at: NOW.toISOString(), note: 'Seen in supervision on 24/11.' });
  });
  test('the reason is kept on the request and in the audit entry', () => {
    const outcome = decide('decline', { version: 7, reason: 'Not proportionate' }, requestIn('awaiting_team_manager'), PEOPLE.tm, NOW);
    expect(outcome.request.lastReason).toEqual({ by: 'tm', at: NOW.toISOString(), reason: 'Not proportionate' });
    expect(outcome.audit.reason).toBe('Not proportionate');
  });
});

describe('the authorisation fixes the scope', () => {
  test('narrowing to some subjects leaves the others out of scope', () => {
    const outcome = decide('authorise', { version: 7, subjectIds: ['s1'], conditions: 'Photos only', reviewDates: ['2026-12-15'] }, requestIn('awaiting_service_director'), PEOPLE.sd, NOW);
    expect(outcome.request.authorisation?.scope).toMatchObject({ subjectIds: ['s1'], period: { from: '2026-06-01', to: '2026-11-01' }, conditions: 'Photos only' });
    const searching = { ...requestIn('searching'), authorisation: outcome.request.authorisation };
    expect(() => assertSubjectInScope(searching, 's1', 'subjectId')).not.toThrow();
    const error = refusal(() => assertSubjectInScope(searching, 's2', 'metadata.subjectId'));
    expect(error.code).toBe('forbidden');
    expect(error.fields).toEqual({ 'metadata.subjectId': 'Not in the authorised scope.' });
  });
  test('a person not named in the request cannot be authorised: that needs a linked request', () => {
    const error = refusal(() => decide('authorise', { version: 7, subjectIds: ['someone-else'], reviewDates: ['2026-12-15'] }, requestIn('awaiting_service_director'), PEOPLE.sd, NOW));
    expect(error.fields?.subjectIds).toMatch(/new, linked request/);
  });
  test('searching outside the request’s state or by another access worker is refused', () => {
    expect(can(PEOPLE.aaw, 'search', requestIn('assigned'), NOW)).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(can(PEOPLE.sd2, 'search', requestIn('searching'), NOW)).toMatchObject({ ok: false, code: 'forbidden', message: 'Only the access worker assigned to it may search for this request.' });
    // Another access worker cannot even see a request someone else holds.
    expect(can(PEOPLE.aaw2, 'search', requestIn('searching'), NOW)).toMatchObject({ ok: false, code: 'not_found' });
  });
  test('an authorisation open to the register notifies the access workers; a designated one goes to that worker only', () => {
    const open = decide('authorise', { version: 7, reviewDates: ['2026-12-15'] }, requestIn('awaiting_service_director'), PEOPLE.sd, NOW);
    expect(open.notifications).toContainEqual({ kind: 'claim_request', to: { role: 'access_worker', except: ['osw', 'tm', 'sd'] } });
    const designated = decide('authorise', { version: 7, accessWorkerId: 'aaw2', reviewDates: ['2026-12-15'] }, requestIn('awaiting_service_director'), PEOPLE.sd, NOW, { accessWorker: PEOPLE.aaw2 });
    expect(designated.request.state).toBe('assigned');
    expect(designated.request.accessWorkerId).toBe('aaw2');
    expect(designated.notifications).toContainEqual({ kind: 'assigned', to: { personId: 'aaw2' } });
  });
});

describe('one-off by default; monitoring only when asked for, with review dates', () => {
  test('a request without monitoring is authorised as a one-off check', () => {
    const form = parseForm(investigationRequestSchema, validRequest);
    expect(form.monitoring).toBeNull();
    const outcome = decide('authorise', { version: 7 }, requestIn('awaiting_service_director', { monitoring: false }), PEOPLE.sd, NOW);
    expect(outcome.request.authorisation?.scope.kind).toBe('one_off');
    expect(outcome.request.authorisation?.scope.monitoring).toBeUndefined();
  });
  test('review dates on a one-off check are refused', () => {
    const error = refusal(() => decide('authorise', { version: 7, reviewDates: ['2026-12-15'] }, requestIn('awaiting_service_director', { monitoring: false }), PEOPLE.sd, NOW));
    expect(error.fields?.reviewDates).toMatch(/one-off check has no review dates/);
  });
  test('monitoring needs a justification, frequency and end date in the request', () => {
    const error = refusal(() => parseForm(investigationRequestSchema, { ...validRequest, monitoring: { justification: '' } }));
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['monitoring.endDate', 'monitoring.frequency', 'monitoring.justification']);
  });
  test('monitoring is authorised only with review dates, after today and before its end', () => {
    const request = requestIn('awaiting_service_director');
    expect(refusal(() => decide('authorise', { version: 7 }, request, PEOPLE.sd, NOW)).fields?.reviewDates).toBe('Monitoring needs at least one review date.');
    expect(refusal(() => decide('authorise', { version: 7, reviewDates: ['2026-11-01'] }, request, PEOPLE.sd, NOW)).fields?.reviewDates).toBe('Review dates must be after today.');
    expect(refusal(() => decide('authorise', { version: 7, reviewDates: ['2027-06-01'] }, request, PEOPLE.sd, NOW)).fields?.reviewDates).toMatch(/on or before the end of monitoring \(01\/03\/2027\)/);
    const outcome = decide('authorise', { version: 7, reviewDates: ['2027-01-15', '2026-12-15'] }, request, PEOPLE.sd, NOW);
    expect(outcome.request.authorisation?.scope.monitoring).toEqual({ frequency: 'monthly', endDate: '2027-03-01', reviewDates: ['2026-12-15', '2027-01-15'], nextReviewOn: '2026-12-15' });
  });
  test('each review is a new director decision; ending monitoring stops further searches', () => {
    const searching = requestIn('searching');
    const reviewed = decide('review-monitoring', { version: 7, decision: 'continue', nextReviewOn: '2027-01-10' }, searching, PEOPLE.sd2, NOW);
    expect(reviewed.request.authorisation?.scope.monitoring?.nextReviewOn).toBe('2027-01-10');
    expect(reviewed.audit).toMatchObject({ action: 'review-monitoring', detail: { decision: 'continue', nextReviewOn: '2027-01-10' } });
    const ended = decide('review-monitoring', { version: 7, decision: 'end' }, searching, PEOPLE.sd, NOW);
    expect(ended.request.authorisation?.scope.monitoring?.endedOn).toBe('2026-11-25');
    expect(can(PEOPLE.aaw, 'search', ended.request, NOW)).toEqual({ ok: false, code: 'forbidden', message: 'Monitoring ended on 25/11/2026: no further searches are authorised.' });
  });
  test('an unreviewed monitoring authorisation lapses', () => {
    const searching = requestIn('searching');
    expect(dueExpiry(searching, new Date('2026-12-15T12:00:00Z'))).toBeNull();
    const due = dueExpiry(searching, new Date('2026-12-16T12:00:00Z'));
    expect(due?.reason).toBe('Monitoring was not reviewed by 15/12/2026, so the authorisation lapsed.');
    const outcome = expire(searching, new Date('2026-12-16T12:00:00Z'), due?.reason ?? '');
    expect(outcome.request.state).toBe('expired');
    expect(outcome.audit).toMatchObject({ action: 'expire', fromState: 'searching', toState: 'expired' });
  });
  test('an authorisation not used within its time limit expires at the end of the London day it names', () => {
    const authorised = decide('authorise', { version: 7 }, requestIn('awaiting_service_director', { monitoring: false }), PEOPLE.sd, NOW, {}, { authorisationValidDays: 28 }).request;
    // Authorised on 25/11/2026 (GMT): usable through 23/12/2026, London time.
    expect(authorised.authorisation?.scope.useBy).toBe('2026-12-23T23:59:59.999Z');
    expect(formatDate(authorised.authorisation?.scope.useBy ?? '')).toBe('23/12/2026');
    // Before, it expired at 10:00 on the day it said it could be used by.
    expect(dueExpiry(authorised, new Date('2026-12-23T14:00:00Z'))).toBeNull();
    expect(dueExpiry(authorised, new Date('2026-12-23T23:59:59.999Z'))?.reason).toBe('The authorisation was not used by 23/12/2026.');
    const used = { ...authorised, state: 'searching' as const, firstSearchStartedAt: '2026-11-26T10:00:00Z' };
    expect(dueExpiry(used, new Date('2027-01-30T10:00:00Z'))).toBeNull();
    const shorter = decide('authorise', { version: 7 }, requestIn('awaiting_service_director', { monitoring: false }), PEOPLE.sd, NOW, {}, { authorisationValidDays: 7 }).request;
    expect(shorter.authorisation?.scope.useBy).toBe('2026-12-02T23:59:59.999Z');
  });
  test('the director may set an earlier use-by date (DESIGN §3, "review/expiry dates"), from today up to the service’s limit', () => {
    const authorise = (useBy: string) => decide('authorise', parseForm(actionBodySchemas.authorise, { version: 7, useBy }), requestIn('awaiting_service_director', { monitoring: false }), PEOPLE.sd, NOW, {}, { authorisationValidDays: 28 });
    expect(authorise('04/12/2026').request.authorisation?.scope.useBy).toBe('2026-12-04T23:59:59.999Z');
    expect(authorise('2026-11-25').request.authorisation?.scope.useBy).toBe('2026-11-25T23:59:59.999Z');
    expect(refusal(() => authorise('24/11/2026')).fields).toEqual({ useBy: 'Choose a use-by date from today to 23/12/2026 (28 days at most).' });
    expect(refusal(() => authorise('24/12/2026')).fields).toEqual({ useBy: 'Choose a use-by date from today to 23/12/2026 (28 days at most).' });
    expect(refusal(() => parseForm(actionBodySchemas.authorise, { version: 7, useBy: '31/02/2027' })).fields).toEqual({ useBy: 'Enter the use-by date as a real date, day/month/year, for example 14/03/2017.' });
  });
  test('in British Summer Time the use-by day ends at 23:59 London time, and an authorisation given after midnight London time counts from that day', () => {
    const afterMidnight = new Date('2026-06-10T23:30:00Z'); // 00:30 BST on 11/06/2026
    const authorised = decide('authorise', { version: 7 }, requestIn('awaiting_service_director', { monitoring: false }), PEOPLE.sd, afterMidnight, {}, { authorisationValidDays: 28 }).request;
    expect(authorised.authorisation?.scope.useBy).toBe('2026-07-09T22:59:59.999Z');
    expect(formatDate(authorised.authorisation?.scope.useBy ?? '')).toBe('09/07/2026');
    expect(dueExpiry(authorised, new Date('2026-07-09T22:00:00Z'))).toBeNull();
    expect(dueExpiry(authorised, new Date('2026-07-09T23:00:00Z'))?.reason).toBe('The authorisation was not used by 09/07/2026.');
  });
  test('confirming legitimacy does not stop the clock: a request searching with no session yet expires when its use-by day ends', () => {
    const authorised = decide('authorise', { version: 7 }, requestIn('awaiting_service_director', { monitoring: false }), PEOPLE.sd, NOW, {}, { authorisationValidDays: 28 }).request;
    const confirmed = { ...authorised, state: 'searching' as const, accessWorkerId: 'aaw', firstSearchStartedAt: null };
    expect(dueExpiry(confirmed, new Date('2026-12-23T12:00:00Z'))).toBeNull();
    expect(dueExpiry(confirmed, new Date('2027-06-30T10:00:00Z'))?.reason).toBe('The authorisation was not used by 23/12/2026.');
    expect(expire(confirmed, new Date('2027-06-30T10:00:00Z'), 'not used').audit).toMatchObject({ action: 'expire', fromState: 'searching', toState: 'expired' });
  });
});

describe('a doubt is resolved: the service manager gives a view, then a director decides', () => {
  test('the case’s service manager records the view; when they already play another part, another service manager may', () => {
    const onHold = requestIn('on_hold');
    const other = { ...PEOPLE.sm, id: 'sm2', displayName: 'Second Manager' };
    // The case's manager is sm, free of the request: nobody else gives the view.
    expect(refusal(() => decide('record-doubt-view', { version: 7, reason: 'Seen' }, onHold, other, NOW, { serviceManager: PEOPLE.sm })).message).toBe(
      'The service manager for this case’s team is sm: they record the view on the doubt.',
    );
    expect(decide('record-doubt-view', { version: 7, reason: 'Seen' }, onHold, PEOPLE.sm, NOW, { serviceManager: PEOPLE.sm }).request.doubts.at(-1)?.serviceManagerView).toMatchObject({ by: 'sm' });
    // The case's manager is the access worker on it: before, nobody could give the view, so the doubt could only end in cancellation.
    const managerWorks = { ...onHold, accessWorkerId: 'sm', designatedAccessWorkerId: null };
    const viewed = decide('record-doubt-view', { version: 7, reason: 'Seen' }, managerWorks, other, NOW, { serviceManager: PEOPLE.sm });
    expect(viewed.request.doubts.at(-1)?.serviceManagerView).toMatchObject({ by: 'sm2' });
    expect(decide('resolve-doubt', { version: viewed.request.version, outcome: 'resume', reason: 'Go on' }, viewed.request, PEOPLE.sd2, NOW).request.state).toBe('searching');
  });
});

describe('evidence outside the authorised scope is refused: its capture time', () => {
  const settings = { oneOffReviewDays: 7, followUpDays: 182 };
  test('a capture time in the future is refused; a device clock a few minutes fast is not', () => {
    const searching = requestIn('searching', { monitoring: false });
    expect(refusal(() => assertCaptureTimeAllowed(searching, '2030-01-01T10:00:00Z', NOW, settings)).fields).toEqual({
      'metadata.capturedAt': 'The capture time is in the future: enter when the copy was made (UK time).',
    });
    expect(() => assertCaptureTimeAllowed(searching, new Date(NOW.getTime() + 4 * 60_000).toISOString(), NOW, settings)).not.toThrow();
  });
  test('a one-off check refuses evidence captured after its window closed, whether or not a session is still open', () => {
    // First session 20/11/2026 09:00 UTC: the window closes seven days later.
    const searching = requestIn('searching', { monitoring: false });
    const later = new Date('2026-12-05T10:00:00Z');
    expect(() => assertCaptureTimeAllowed(searching, '2026-11-27T08:59:00Z', later, settings)).not.toThrow();
    const error = refusal(() => assertCaptureTimeAllowed(searching, '2026-11-27T09:01:00Z', later, settings));
    expect(error).toMatchObject({ code: 'forbidden', rule: 'one_off_review', fields: { 'metadata.capturedAt': 'Captured after the window closed (27/11/2026 09:00).' } });
    // Monitoring keeps to its frequency through its sessions, not a window.
    expect(() => assertCaptureTimeAllowed(requestIn('searching'), '2026-11-27T09:01:00Z', later, settings)).not.toThrow();
  });
});

describe('access workers are a register of trained staff', () => {
  test('someone with no training recorded, or trained only later, may neither claim, be assigned, nor search', () => {
    const untrained = { ...PEOPLE.aaw, accessWorkerTrainedOn: null };
    expect(can(untrained, 'claim', requestIn('authorised'), NOW)).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'No access worker training is recorded for you on the register: an administrator records it before you act as an access worker.',
    });
    const later = { ...PEOPLE.aaw, accessWorkerTrainedOn: '2027-06-01' };
    expect(can(later, 'claim', requestIn('authorised'), NOW)).toMatchObject({ ok: false, message: 'Your access worker training is recorded as on 01/06/2027: acting as an access worker starts then.' });
    expect(can(later, 'search', requestIn('searching'), NOW).ok).toBe(false);
    const assign = (worker: typeof PEOPLE.aaw) => refusal(() => decide('assign', { version: 7, accessWorkerId: 'aaw' }, requestIn('authorised'), PEOPLE.sd2, NOW, { accessWorker: worker }));
    expect(assign(untrained).fields).toEqual({ accessWorkerId: 'No access worker training is recorded for aaw on the register: an administrator records it first.' });
    expect(assign(later).fields).toEqual({ accessWorkerId: "aaw's access worker training is recorded as on 01/06/2027: acting as an access worker starts then." });
    expect(decide('assign', { version: 7, accessWorkerId: 'aaw' }, requestIn('authorised'), PEOPLE.sd2, NOW, { accessWorker: PEOPLE.aaw }).request.accessWorkerId).toBe('aaw');
  });
});

describe('counts of pieces of information are refused in words', () => {
  test.each([
    [-2, 'Enter 0 or more.'],
    [1.5, 'Enter a whole number.'],
    [1001, 'Enter 1,000 or fewer.'],
  ])('%s useful pieces: “%s”, in the assessment and in the feedback', (usefulPieces, message) => {
    const assessment = { summary: 'Adds a recent address', usefulPieces, uniquePieces: 0, contribution: 'some', actionsTaken: 'Visit' };
    expect(refusal(() => parseForm(investigationLogSchema, { assessment })).fields).toEqual({ 'assessment.usefulPieces': message });
    expect(refusal(() => parseForm(feedbackSchema, { usefulPieces })).fields).toEqual({ usefulPieces: message });
  });
});

describe('who may look at a request follows the directory', () => {
  test('an access worker moved out of the access worker group loses sight of the request they searched, its evidence and personal details', () => {
    const searched = { ...requestIn('closed'), accessWorkerId: PEOPLE.aaw2.id };
    for (const ability of ['view', 'view-evidence', 'see-personal-details'] as const) {
      expect(can(PEOPLE.aaw2, ability, searched, NOW)).toMatchObject({ ok: true });
      expect(can({ ...PEOPLE.aaw2, roles: ['social_worker'] }, ability, searched, NOW)).toMatchObject({ ok: false, code: 'not_found' });
    }
  });
  test('the originating worker who is no longer a social worker loses sight of the request they raised', () => {
    const raised = requestIn('closed');
    expect(can(PEOPLE.osw, 'view', raised, NOW)).toMatchObject({ ok: true });
    expect(can({ ...PEOPLE.osw, roles: ['team_manager'] }, 'view', raised, NOW)).toMatchObject({ ok: false, code: 'not_found' });
  });
});

describe('a further person is a new, linked request, flagged to the director', () => {
  test('submitting a linked request flags it to the service directors', () => {
    const linked = { ...requestIn('draft'), linkedFromRequestId: '22222222-2222-4222-8222-222222222222' };
    const outcome = decide('submit', { version: 7 }, linked, PEOPLE.osw, NOW, { teamManager: PEOPLE.tm });
    expect(outcome.notifications).toContainEqual({ kind: 'linked_request_flag', to: { role: 'service_director', except: ['osw', 'tm'] } });
  });
});

describe('only publicly visible information may be recorded', () => {
  const metadata = { subjectId: 's1', sourceUrl: 'https://www.facebook.com/jane/photos/1', capturedAt: '2026-11-25T10:00:00Z', description: 'Photo at a party' };
  test.each([false, undefined, 'true'])('publiclyVisible %p is refused', (publiclyVisible) => {
    const error = refusal(() => parseForm(evidenceMetadataSchema, { ...metadata, publiclyVisible }));
    expect(error.fields?.publiclyVisible).toMatch(/visible without being a “friend”/);
  });
  test('publiclyVisible true is accepted', () => {
    expect(parseForm(evidenceMetadataSchema, { ...metadata, publiclyVisible: true }).publiclyVisible).toBe(true);
  });
});

describe('the log must be complete before it goes to the originating worker', () => {
  test('a person in scope without a finding, or no search session, blocks completion', () => {
    const searching = requestIn('searching');
    const partial = { ...searching, log: { findings: [], furtherPersons: [], accessWorkerComments: undefined } };
    const error = refusal(() => decide('complete-log', { version: 7 }, partial, PEOPLE.aaw, NOW, { searchSessions: { held: 0, open: 0 } }));
    expect(error.fields).toEqual({
      searchSessions: 'Hold at least one timed search session before completing the log.',
      'findings.s1': 'Record what was found (or not found) for every person in scope.',
      'findings.s2': 'Record what was found (or not found) for every person in scope.',
    });
    expect(refusal(() => decide('complete-log', { version: 7 }, searching, PEOPLE.aaw, NOW, { searchSessions: { held: 1, open: 1 } })).fields?.searchSessions).toBe(
      'End the search session that is still running.',
    );
  });
  test('finalising needs the originating worker’s assessment', () => {
    const withWorker = requestIn('with_originating_worker');
    const noAssessment = { ...withWorker, log: { findings: withWorker.log?.findings ?? [], furtherPersons: [], accessWorkerComments: undefined } };
    expect(refusal(() => decide('finalise', { version: 7 }, noAssessment, PEOPLE.osw, NOW)).fields).toEqual({
      'log.assessment': 'Record your assessment of the information before finalising the log.',
    });
  });
});

describe('forms', () => {
  test('an unknown associate is described, not named; others are named', () => {
    const error = refusal(() =>
      parseForm(investigationRequestSchema, { ...validRequest, subjects: [{ kind: 'unknown_associate', name: 'Bob' }, { kind: 'family_member' }] }),
    );
    expect(error.fields).toEqual({
      'subjects.0.description': 'Describe the unknown associate in as much detail as you can.',
      'subjects.0.name': 'An unknown associate has no name: describe them instead.',
      'subjects.1.name': 'Enter the person’s name.',
    });
  });
  test('“other” concern needs a description; the period must run forwards', () => {
    const error = refusal(() => parseForm(investigationRequestSchema, { ...validRequest, concernCategories: ['other'], period: { from: '2026-06-01', to: '2026-05-01' } }));
    expect(error.fields?.['period.to']).toBe('The end of the period must be on or after its start.');
    const other = refusal(() => parseForm(investigationRequestSchema, { ...validRequest, concernCategories: ['other'] }));
    expect(other.fields).toEqual({ concernOther: 'Describe the other concern.' });
  });
  test('each concern is chosen once, in a request and in a draft (a repeat was stored)', () => {
    const twice = { ...validRequest, concernCategories: ['risky_behaviour', 'risky_behaviour'] };
    expect(refusal(() => parseForm(investigationRequestSchema, twice)).fields).toEqual({ concernCategories: 'Choose each concern once.' });
    expect(refusal(() => parseForm(draftRequestSchema, twice)).fields).toEqual({ concernCategories: 'Choose each concern once.' });
  });
});
