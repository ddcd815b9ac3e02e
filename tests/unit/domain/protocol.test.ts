/**
 * The protocol's own rules in the engine (issue 14), over every person and state where they apply:
 * one-off means one review, monitoring keeps to its period, the request reaches a real team
 * manager, the log is shared as the protocol says, the pilot's scope, and feedback integrity.
 */
import { AppError } from '../../../src/domain/errors';
import {
  DEFAULT_PROTOCOL_SETTINGS,
  assertAdultSubjects,
  assertFollowUpOpen,
  assertPilotPlatform,
  assertSessionMayStart,
  mergeFeedback,
  nextMonitoringReviewFrom,
  oneOffWindowClosesAt,
} from '../../../src/domain/protocol';
import { REQUEST_STATES } from '../../../src/domain/states';
import { can } from '../../../src/domain/policy';
import { decide } from '../../../src/domain/workflow';
import type { InvestigationRequest } from '../../../src/domain/request';
import { NOW, PEOPLE, PERSONAS, requestIn } from './fixtures';

const DAY = 86_400_000;
const settings = DEFAULT_PROTOCOL_SETTINGS;
const FIRST = '2026-11-20T09:00:00.000Z';

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const at = (ms: number) => new Date(new Date(FIRST).getTime() + ms);

/** May this person start a session on this request at this time: the engine's whole answer. */
function mayStart(request: InvestigationRequest, persona: keyof typeof PEOPLE, now: Date, starts: string[] = [FIRST]): boolean {
  try {
    if (!can(PEOPLE[persona], 'search', request, now).ok) return false;
    assertSessionMayStart(request, starts, now, settings);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

describe('one-off means one review', () => {
  const oneOff = (state: InvestigationRequest['state']) => requestIn(state, { monitoring: false });

  test.each(REQUEST_STATES.flatMap((state) => PERSONAS.map((persona) => [state, persona] as const)))(
    '%s · %s: only the assigned access worker, while searching, within the window',
    (state, persona) => {
      const request = oneOff(state);
      const inWindow = at(7 * DAY - 1);
      expect(mayStart(request, persona, inWindow)).toBe(state === 'searching' && persona === 'aaw');
      expect(mayStart(request, persona, at(7 * DAY))).toBe(false);
    },
  );

  test('across the clock change the window closes at the same London time, not 7 × 24 hours on', () => {
    const over = (first: string) => oneOffWindowClosesAt({ ...oneOff('searching'), firstSearchStartedAt: first }, settings);
    // 10:00:30 GMT on 25/03/2026; the clocks go forward on 29/03: 10:00:30 BST on 01/04 is 09:00:30 UTC.
    expect(over('2026-03-25T10:00:30.250Z')).toBe('2026-04-01T09:00:30.250Z');
    // 10:00 BST on 21/10/2026; the clocks go back on 25/10: 10:00 GMT on 28/10.
    expect(over('2026-10-21T09:00:00.000Z')).toBe('2026-10-28T10:00:00.000Z');
  });
  test('the window opens at the first session and closes ONE_OFF_REVIEW_DAYS later, naming the rule', () => {
    const request = oneOff('searching');
    expect(oneOffWindowClosesAt({ ...request, firstSearchStartedAt: null }, settings)).toBeNull();
    expect(oneOffWindowClosesAt(request, settings)).toBe(at(7 * DAY).toISOString());
    expect(oneOffWindowClosesAt(request, { ...settings, oneOffReviewDays: 2 })).toBe(at(2 * DAY).toISOString());
    const error = refusal(() => assertSessionMayStart(request, [FIRST], at(200 * DAY), settings));
    expect(error).toMatchObject({ code: 'forbidden', rule: 'one_off_review' });
    expect(error.message).toMatch(/needs a new authorisation/);
    // Before any session the window has not opened, so the first session may start.
    expect(() => assertSessionMayStart({ ...request, firstSearchStartedAt: null }, [], at(20 * DAY), settings)).not.toThrow();
  });

  test('completing the log ends searching', () => {
    expect(can(PEOPLE.aaw, 'search', oneOff('with_originating_worker'), at(DAY))).toMatchObject({ ok: false, message: expect.stringMatching(/only after legitimacy is confirmed/) });
  });
});

describe('monitoring keeps to what was authorised', () => {
  const monitored = (frequency: string, extra: Partial<{ nextReviewOn: string; endDate: string; endedOn: string }> = {}): InvestigationRequest => {
    const r = requestIn('searching');
    const auth = r.authorisation;
    if (!auth?.scope.monitoring) throw new Error('fixture');
    return { ...r, authorisation: { ...auth, scope: { ...auth.scope, monitoring: { ...auth.scope.monitoring, frequency, nextReviewOn: '2027-02-28', ...extra } } } };
  };

  test.each([
    ['weekly', '2026-11-20', '2026-11-27'],
    ['fortnightly', '2026-11-20', '2026-12-04'],
    ['monthly', '2026-11-20', '2026-12-20'],
    ['monthly', '2027-01-31', '2027-02-28'],
  ])('%s after a review on %s, the next may start on %s', (frequency, last, next) => {
    expect(nextMonitoringReviewFrom(frequency, last)).toBe(next);
  });

  test.each(['weekly', 'fortnightly', 'monthly'] as const)('%s: one review per period; the sessions of the review day are one review', (frequency) => {
    const request = monitored(frequency);
    const sameDay = new Date('2026-11-20T15:00:00Z');
    expect(() => assertSessionMayStart(request, [FIRST], sameDay, settings)).not.toThrow();
    const next = nextMonitoringReviewFrom(frequency, '2026-11-20');
    const dayBefore = new Date(new Date(`${next}T12:00:00Z`).getTime() - DAY);
    expect(refusal(() => assertSessionMayStart(request, [FIRST], dayBefore, settings))).toMatchObject({ code: 'forbidden', rule: 'monitoring_frequency' });
    expect(() => assertSessionMayStart(request, [FIRST], new Date(`${next}T12:00:00Z`), settings)).not.toThrow();
  });

  test('only up to the review date a director confirmed, and never after the end date', () => {
    const unconfirmed = monitored('weekly', { nextReviewOn: '2026-12-01' });
    expect(refusal(() => assertSessionMayStart(unconfirmed, [FIRST], new Date('2026-12-02T10:00:00Z'), settings)).message).toMatch(/not confirmed monitoring beyond 01\/12\/2026/);
    const ended = monitored('weekly', { endDate: '2026-12-01' });
    expect(refusal(() => assertSessionMayStart(ended, [FIRST], new Date('2026-12-02T10:00:00Z'), settings)).rule).toBe('monitoring_frequency');
    const stopped = monitored('weekly', { endedOn: '2026-11-25' });
    expect(refusal(() => assertSessionMayStart(stopped, [FIRST], new Date('2026-11-28T10:00:00Z'), settings)).rule).toBe('monitoring_frequency');
  });
});

describe('every request has a team manager who can act', () => {
  const draft = requestIn('draft');
  const notManager = { ...PEOPLE.sm, id: 'line-sm' };

  test('the line manager when they hold the team-manager role', () => {
    expect(decide('submit', { version: 7 }, draft, PEOPLE.osw, NOW, { teamManager: PEOPLE.tm }).request.teamManagerId).toBe('tm');
    expect(refusal(() => decide('submit', { version: 7, teamManagerId: 'sd' }, draft, PEOPLE.osw, NOW, { teamManager: PEOPLE.tm, chosenTeamManager: PEOPLE.sd })).rule).toBe('team_manager_role');
  });

  test('otherwise one the worker chooses, who must hold the role and not be the worker', () => {
    const unchosen = refusal(() => decide('submit', { version: 7 }, draft, PEOPLE.osw, NOW, { teamManager: notManager }));
    expect(unchosen).toMatchObject({ code: 'validation', rule: 'team_manager_role', fields: { teamManagerId: 'Choose a team manager.' } });
    expect(unchosen.message).toMatch(/is not a team manager/);
    for (const persona of PERSONAS) {
      const chosen = PEOPLE[persona];
      const run = () => decide('submit', { version: 7, teamManagerId: chosen.id }, draft, PEOPLE.osw, NOW, { teamManager: notManager, chosenTeamManager: chosen });
      if (chosen.roles.includes('team_manager')) {
        const outcome = run();
        expect(outcome.request.teamManagerId).toBe(chosen.id);
        expect(outcome.audit.detail).toEqual({ teamManagerChosen: chosen.id });
        expect(outcome.notifications).toContainEqual({ kind: 'agree_request', to: { personId: chosen.id } });
      } else {
        expect(refusal(run).rule).toBe('team_manager_role');
      }
    }
  });
});

describe('sharing as the protocol says', () => {
  const finalised = requestIn('finalised');

  test('with the team manager, the case’s service manager and the authorising director, recorded with when; the log is filed again', () => {
    const outcome = decide('share', { version: 7 }, finalised, PEOPLE.osw, NOW, { serviceManager: PEOPLE.sm });
    const when = NOW.toISOString();
    expect(outcome.request.sharedWith).toEqual([
      { personId: 'tm', at: when },
      { personId: 'sm', at: when },
      { personId: 'sd', at: when },
    ]);
    expect(outcome.audit.detail).toEqual({ sharedWith: outcome.request.sharedWith });
    expect(outcome.notifications).toEqual(
      expect.arrayContaining([
        { kind: 'log_shared', to: { personId: 'tm' } },
        { kind: 'log_shared', to: { personId: 'sm' } },
        { kind: 'log_shared', to: { personId: 'sd' } },
        { kind: 'record_documents', to: { system: true } },
      ]),
    );
  });

  test('when the directory names no service manager the worker chooses one who holds the role', () => {
    expect(refusal(() => decide('share', { version: 7 }, finalised, PEOPLE.osw, NOW, { serviceManager: null })).fields).toEqual({ serviceManagerId: 'Choose a service manager.' });
    for (const persona of PERSONAS) {
      const chosen = PEOPLE[persona];
      const run = () => decide('share', { version: 7, serviceManagerId: chosen.id }, finalised, PEOPLE.osw, NOW, { serviceManager: null, chosenServiceManager: chosen });
      if (chosen.roles.includes('service_manager')) expect(run().request.sharedWith.map((s) => s.personId)).toEqual(['tm', chosen.id, 'sd']);
      else expect(refusal(run).rule).toBe('sharing');
    }
  });
});

describe('the pilot’s scope', () => {
  test.each([
    ['https://www.facebook.com/jane', true],
    ['https://m.facebook.com/jane', true],
    ['https://fb.me/jane', true],
    ['https://www.instagram.com/jane', false],
    ['https://facebook.com.example.net/jane', false],
    ['https://notfacebook.com/jane', false],
  ])('%s in scope: %s', (link, inScope) => {
    const run = () => assertPilotPlatform(link, 'subjects.0.profileUrl', ['facebook']);
    if (inScope) expect(run).not.toThrow();
    else expect(refusal(run)).toMatchObject({ code: 'validation', rule: 'pilot_platforms', fields: { 'subjects.0.profileUrl': expect.any(String) } });
  });

  test('the platforms in scope are the pilot settings’ platforms, each with its hosts', () => {
    expect(() => assertPilotPlatform('https://www.instagram.com/jane', 'f', ['instagram'])).not.toThrow();
    expect(() => assertPilotPlatform('https://twitter.com/jane', 'f', ['facebook', 'x'])).not.toThrow();
    expect(refusal(() => assertPilotPlatform('https://www.facebook.com/jane', 'f', ['instagram'])).fields).toEqual({ f: 'Outside the pilot’s platforms (Instagram: instagram.com, instagr.am).' });
  });

  test('a child of the case is not a person to check; an adult of the same name with another date of birth is', () => {
    const children = [{ name: 'Sam Doe', dateOfBirth: '2015-04-01' }];
    expect(refusal(() => assertAdultSubjects({ children, subjects: [{ name: 'SAM DOE' }] })).fields).toEqual({ 'subjects.0.name': 'Sam Doe is a child of the case: only adults are checked.' });
    expect(() => assertAdultSubjects({ children, subjects: [{ name: 'Sam Doe', dateOfBirth: '1980-02-02' }] })).not.toThrow();
    expect(() => assertAdultSubjects({ children, subjects: [{ name: 'Jane Doe' }] })).not.toThrow();
  });
});

describe('feedback integrity', () => {
  const measured = { timesUsed: 2, searchMinutes: 40 };

  test('times come from the system, never the answers; a later save keeps earlier answers', () => {
    const first = mergeFeedback(null, { usefulPieces: 1, uniquePieces: 1, contribution: 'some', comments: 'First' }, measured);
    expect(first).toEqual({ ...measured, usefulPieces: 1, uniquePieces: 1, contribution: 'some', comments: 'First' });
    const withFollowUp = mergeFeedback(first, { followUp: { longerTermUsefulness: 'significant', comments: 'Later' } }, measured);
    const later = mergeFeedback(withFollowUp, { uniquePieces: 3 }, { timesUsed: 2, searchMinutes: 41 });
    expect(later).toEqual({ timesUsed: 2, searchMinutes: 41, usefulPieces: 1, uniquePieces: 3, contribution: 'some', comments: 'First', followUp: { longerTermUsefulness: 'significant', comments: 'Later' } });
    expect(refusal(() => mergeFeedback(null, { comments: 'Only this' }, measured)).fields).toMatchObject({ usefulPieces: expect.any(String) });
  });

  test('the follow-up opens six months after sharing', () => {
    const shared = { ...requestIn('shared'), sharedWith: [{ personId: 'tm', at: FIRST }] };
    expect(refusal(() => assertFollowUpOpen(requestIn('finalised'), at(400 * DAY), 182)).rule).toBe('follow_up_timing');
    expect(refusal(() => assertFollowUpOpen(shared, at(182 * DAY - 1), 182)).rule).toBe('follow_up_timing');
    expect(() => assertFollowUpOpen(shared, at(182 * DAY), 182)).not.toThrow();
  });
});
