/**
 * The policy and the engine, exhaustively: every ability × state × person, against expectation
 * tables written from DESIGN.md §1–2 independently of the policy table itself.
 */
import { AppError } from '../../../src/domain/errors';
import { actionBodySchemas, parseForm } from '../../../src/domain/forms';
import { REQUEST_STATES, WORKFLOW_ACTIONS, type RequestState, type WorkflowAction } from '../../../src/domain/states';
import { forQuery, holds } from '../../../src/domain/conditions';
import {
  ABILITIES,
  abilitiesOn,
  allowedActions,
  can,
  isPersonAbility,
  isWaitingFor,
  PERSON_ABILITIES,
  POLICY,
  participants,
  RECORD_ABILITIES,
  whereCan,
  whereWaiting,
  type PersonAbility,
  type RecordAbility,
  type RequestAbility,
} from '../../../src/domain/policy';
import { decide, expire, type ActionFacts } from '../../../src/domain/workflow';
import type { InvestigationRequest } from '../../../src/domain/request';
import type { Person } from '../../../src/domain/roles';
import { NOW, PEOPLE, PERSONAS, requestIn, type PersonaName } from './fixtures';

const OPEN: RequestState[] = ['draft', 'awaiting_team_manager', 'awaiting_service_director', 'authorised', 'assigned', 'searching', 'on_hold', 'with_originating_worker'];

/** Who may take each action from which state, and where it leads. */
const EXPECTED: Record<WorkflowAction, { from: RequestState[]; who: (state: RequestState) => PersonaName[]; to: (state: RequestState) => RequestState }> = {
  submit: { from: ['draft'], who: () => ['osw'], to: () => 'awaiting_team_manager' },
  // The team manager's named deputy decides as the team manager while their period lasts.
  agree: { from: ['awaiting_team_manager'], who: () => ['tm', 'deputy'], to: () => 'awaiting_service_director' },
  decline: { from: ['awaiting_team_manager'], who: () => ['tm', 'deputy'], to: () => 'declined' },
  return: { from: ['awaiting_team_manager', 'awaiting_service_director'], who: (s) => (s === 'awaiting_team_manager' ? ['tm', 'deputy'] : ['sd', 'sd2']), to: () => 'draft' },
  authorise: { from: ['awaiting_service_director'], who: () => ['sd', 'sd2'], to: () => 'authorised' },
  refuse: { from: ['awaiting_service_director'], who: () => ['sd', 'sd2'], to: () => 'refused' },
  // sd2 holds the access-worker role but, like osw, may not take it on a request where they would hold two roles — sd2 is not yet on this request, so they may.
  claim: { from: ['authorised'], who: () => ['sd2', 'aaw', 'aaw2'], to: () => 'assigned' },
  assign: { from: ['authorised'], who: () => ['sd', 'sd2', 'sm'], to: () => 'assigned' },
  'confirm-legitimacy': { from: ['assigned'], who: () => ['aaw'], to: () => 'searching' },
  // Either worker may raise a doubt; the case's service manager records a view, then a director resolves it.
  'raise-doubt': { from: ['assigned', 'searching'], who: () => ['aaw', 'osw'], to: () => 'on_hold' },
  'record-doubt-view': { from: ['on_hold'], who: () => ['sm'], to: () => 'on_hold' },
  // The fixture's doubt has no view yet, so no one may resolve it: see the doubt tests below for after.
  'resolve-doubt': { from: [], who: () => [], to: () => 'searching' },
  'complete-log': { from: ['searching'], who: () => ['aaw'], to: () => 'with_originating_worker' },
  finalise: { from: ['with_originating_worker'], who: () => ['osw'], to: () => 'finalised' },
  share: { from: ['finalised'], who: () => ['osw'], to: () => 'shared' },
  withdraw: { from: OPEN, who: (s) => (s === 'draft' ? ['osw'] : ['osw', 'tm']), to: () => 'cancelled' },
  cancel: { from: OPEN.filter((s) => s !== 'draft'), who: () => ['sd', 'sd2'], to: () => 'cancelled' },
  'review-monitoring': { from: ['authorised', 'assigned', 'searching', 'on_hold'], who: () => ['sd', 'sd2'], to: (s) => s },
  // The fixture's cancelled and expired requests stand for ones stopped after evidence (not yet closed).
  'record-placement': { from: ['shared', 'cancelled', 'expired'], who: () => ['osw'], to: (s) => (s === 'shared' ? 'closed' : s) },
};

function bodyFor(action: WorkflowAction, version: number): unknown {
  const reason = { version, reason: 'Recorded reason' };
  switch (action) {
    case 'decline':
    case 'return':
    case 'refuse':
    case 'withdraw':
    case 'cancel':
    case 'raise-doubt':
    case 'record-doubt-view':
      return reason;
    case 'agree':
      return { version, note: 'Discussed in supervision' };
    case 'authorise':
      return { version, reviewDates: ['2026-12-15'] };
    case 'assign':
      return { version, accessWorkerId: 'aaw2' };
    case 'resolve-doubt':
      return { version, outcome: 'resume', reason: 'Spoke to the access worker' };
    case 'review-monitoring':
      return { version, decision: 'continue', nextReviewOn: '2027-01-10' };
    default:
      return { version };
  }
}

const FACTS: ActionFacts = { teamManager: PEOPLE.tm, serviceManager: PEOPLE.sm, accessWorker: PEOPLE.aaw2, searchSessions: { held: 1, open: 0 }, documentsFiled: true };

const cases: [RequestState, WorkflowAction, PersonaName][] = [];
for (const state of REQUEST_STATES) for (const action of WORKFLOW_ACTIONS) for (const persona of PERSONAS) cases.push([state, action, persona]);

describe('workflow engine: every state × action × person', () => {
  test.each(cases)('%s · %s · %s', (state, action, persona) => {
    const request = requestIn(state);
    const actor = PEOPLE[persona];
    const expected = EXPECTED[action];
    const allowed = expected.from.includes(state) && expected.who(state).includes(persona);
    const body = parseForm(actionBodySchemas[action], bodyFor(action, request.version));
    const run = () => decide(action, body as never, request, actor, NOW, FACTS);
    expect(allowedActions(request, actor, NOW).some((a) => a.action === action)).toBe(allowed);
    if (allowed) {
      const outcome = run();
      expect(outcome.request.state).toBe(expected.to(state));
      expect(outcome.request.version).toBe(request.version + 1);
      expect(outcome.audit).toMatchObject({ action, fromState: state, toState: expected.to(state) });
    } else {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect(['forbidden', 'invalid_state', 'not_found']).toContain((error as AppError).code);
      // Someone who may not see the request is told only that it is not found.
      // (But an access worker who came second to claim is told the request was taken.)
      const lostTheClaim = action === 'claim' && state === 'assigned' && PEOPLE[persona].roles.includes('access_worker') && !participants(requestIn(state)).has(PEOPLE[persona].id);
      if (!mayView(state, persona)) expect((error as AppError)).toMatchObject(lostTheClaim ? { code: 'invalid_state', message: 'Another access worker has already taken this request.' } : { code: 'not_found' });
      expect((error as AppError).message.length).toBeGreaterThan(10);
      // A refusal leaves the request exactly as it was.
      expect(request).toEqual(requestIn(state));
    }
  });
});

/** Who plays a part on the fixture request in each state (fixtures.ts). */
function partOf(state: RequestState, persona: PersonaName): boolean {
  const submitted = state !== 'draft';
  const authorised = !['draft', 'awaiting_team_manager', 'awaiting_service_director', 'declined', 'refused'].includes(state);
  const assigned = ['assigned', 'searching', 'on_hold', 'with_originating_worker', 'finalised', 'shared', 'closed'].includes(state);
  return persona === 'osw' || (persona === 'tm' && submitted) || (persona === 'sd' && authorised) || (persona === 'aaw' && assigned);
}
const DIRECTORS_AND_MANAGERS: PersonaName[] = ['tm', 'sd', 'sd2', 'sm'];
const ACCESS_WORKERS: PersonaName[] = ['osw', 'sd2', 'aaw', 'aaw2'];

/**
 * Deny by default: the people on it; directors and service managers once submitted; access workers
 * while it is open to the register; the team manager's deputy while it waits for the team manager.
 */
function mayView(state: RequestState, persona: PersonaName): boolean {
  return (
    partOf(state, persona) ||
    (state !== 'draft' && DIRECTORS_AND_MANAGERS.includes(persona)) ||
    (state === 'authorised' && ACCESS_WORKERS.includes(persona)) ||
    (state === 'awaiting_team_manager' && persona === 'deputy')
  );
}

const HELD: RequestState[] = ['assigned', 'searching', 'on_hold', 'with_originating_worker', 'finalised', 'shared', 'closed'];

const EXPECTED_RECORD: Record<RecordAbility, (state: RequestState, persona: PersonaName) => boolean> = {
  view: mayView,
  // Browsing the register shows an access worker what they need to decide, not dates of birth or addresses.
  'see-personal-details': (s, p) => partOf(s, p) || (s !== 'draft' && DIRECTORS_AND_MANAGERS.includes(p)) || (s === 'awaiting_team_manager' && p === 'deputy'),
  'edit-draft': (s, p) => s === 'draft' && p === 'osw',
  // The fixture's draft was never submitted; a returned one cannot be discarded (tests/integration/api/drafts.test.ts).
  'discard-draft': (s, p) => s === 'draft' && p === 'osw',
  'raise-linked': (s, p) => s !== 'draft' && p === 'osw',
  'write-log': (s, p) => (s === 'searching' && p === 'aaw') || (s === 'with_originating_worker' && p === 'osw'),
  search: (s, p) => s === 'searching' && p === 'aaw',
  'end-search-session': (s, p) => HELD.includes(s) && p === 'aaw',
  'record-evidence': (s, p) => s === 'searching' && p === 'aaw',
  'view-evidence': (s, p) => s !== 'draft' && mayView(s, p),
  'give-feedback': (s, p) => ['finalised', 'shared', 'closed'].includes(s) && p === 'osw',
};

const EXPECTED_PERSON: Record<PersonAbility, PersonaName[]> = {
  'raise-request': ['osw', 'tm', 'stranger'],
  'view-people': ['tm', 'sd', 'sd2', 'sm', 'admin'],
  'view-dashboard': ['tm', 'sd', 'sd2', 'sm', 'admin'],
  administer: ['admin'],
  'keep-register': ['admin'],
  'manage-pilot-settings': ['admin'],
  'view-evaluation': ['tm', 'sd', 'sd2', 'sm'],
  'answer-survey': PERSONAS,
  'search-disclosure': ['sm', 'admin'],
  'propose-disposal': ['sm'],
  'confirm-disposal': ['tm', 'sd', 'sd2'],
  'place-legal-hold': ['tm', 'sd', 'sd2', 'sm', 'admin'],
  'view-retention': ['tm', 'sd', 'sd2', 'sm'],
};

const recordCases: [RequestState, RecordAbility, PersonaName][] = [];
for (const state of REQUEST_STATES) for (const ability of RECORD_ABILITIES) for (const persona of PERSONAS) recordCases.push([state, ability, persona]);

describe('policy: every other ability × state × person', () => {
  test.each(recordCases)('%s · %s · %s', (state, ability, persona) => {
    const decision = can(PEOPLE[persona], ability, requestIn(state), NOW);
    const allowed = EXPECTED_RECORD[ability](state, persona);
    expect(decision.ok).toBe(allowed);
    if (!decision.ok) {
      expect(decision.message.length).toBeGreaterThan(10);
      if (mayView(state, persona)) expect(['forbidden', 'invalid_state']).toContain(decision.code);
      else expect(decision.code).toBe('not_found');
    }
  });

  test.each(PERSON_ABILITIES.flatMap((a) => PERSONAS.map((p) => [a, p] as const)))('%s · %s', (ability, persona) => {
    const decision = can(PEOPLE[persona], ability, null, NOW);
    expect(decision.ok).toBe(EXPECTED_PERSON[ability].includes(persona));
    if (!decision.ok) expect(decision).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^Only /) });
  });

  test('every ability is in the one table, each with a verb', () => {
    expect(Object.keys(POLICY).sort()).toEqual([...ABILITIES].sort());
    for (const rule of Object.values(POLICY)) expect(rule.verb.length).toBeGreaterThan(2);
  });
});

/** Steps that move a request on; withdrawing, cancelling, raising a doubt and reviewing monitoring are always-available options, not tasks. */
const TASKS: WorkflowAction[] = [
  'submit',
  'agree',
  'decline',
  'return',
  'authorise',
  'refuse',
  'claim',
  'assign',
  'confirm-legitimacy',
  'record-doubt-view',
  'resolve-doubt',
  'complete-log',
  'finalise',
  'share',
  'record-placement',
];
const REASONS: WorkflowAction[] = ['decline', 'return', 'refuse', 'withdraw', 'cancel', 'raise-doubt', 'record-doubt-view', 'resolve-doubt'];

describe('what a view carries: actions with their reasons, and "waiting for me"', () => {
  test.each(REQUEST_STATES.flatMap((s) => PERSONAS.map((p) => [s, p] as const)))('%s · %s', (state, persona) => {
    const request = requestIn(state);
    const actions = allowedActions(request, PEOPLE[persona], NOW);
    for (const { action, reasonRequired } of actions) expect(reasonRequired).toBe(REASONS.includes(action));
    expect(isWaitingFor(request, PEOPLE[persona], NOW)).toBe(actions.some((a) => TASKS.includes(a.action)));
  });
});

describe('a view\'s abilities are what can allows: every ability × state × person', () => {
  const lapsed = (person: Person): Person => ({ ...person, accessWorkerAuthorisedUntil: '2026-11-01' });
  const untrained = (person: Person): Person => ({ ...person, accessWorkerTrainedOn: null });
  const trainedLater = (person: Person): Person => ({ ...person, accessWorkerTrainedOn: '2026-12-01' });
  const people = PERSONAS.flatMap((p) => [PEOPLE[p], lapsed(PEOPLE[p]), untrained(PEOPLE[p]), trainedLater(PEOPLE[p])]);
  test.each(REQUEST_STATES)('%s, also chosen for one access worker, without monitoring, with a view on its doubt, with resolvers', (state) => {
    const plain = requestIn(state);
    const variants = [
      plain,
      requestIn(state, { monitoring: false }),
      { ...plain, designatedAccessWorkerId: state === 'authorised' ? 'aaw2' : plain.designatedAccessWorkerId },
      withView(plain),
      { ...plain, doubtResolvers: [{ personId: 'sm', role: 'service_manager' as const }, { personId: 'sd2', role: 'service_director' as const }] },
      { ...plain, submittedAt: state === 'draft' ? '2026-11-20T09:00:00.000Z' : plain.submittedAt },
    ];
    for (const request of variants) {
      for (const person of people) {
        const allows = (ability: RequestAbility) => can(person, ability, request, NOW).ok;
        const actions = WORKFLOW_ACTIONS.filter(allows);
        expect(abilitiesOn(request, person, NOW)).toEqual({
          allowedActions: actions.map((action) => ({ action, reasonRequired: POLICY[action].reasonRequired })),
          abilities: RECORD_ABILITIES.filter((a) => a !== 'view' && allows(a)),
          waitingForMe: actions.some((a) => TASKS.includes(a)),
        });
      }
    }
  });
});

describe('lists ask the same table: whereCan (run as SQL by the store) holds exactly when can allows', () => {
  const listed = ABILITIES.filter((a): a is RequestAbility => !isPersonAbility(a) && !POLICY[a].unless);
  const variants = REQUEST_STATES.flatMap((state) => {
    const plain = requestIn(state);
    return [
      plain,
      // Chosen for one access worker: the others may neither see nor claim it.
      { ...plain, designatedAccessWorkerId: state === 'authorised' ? 'aaw2' : plain.designatedAccessWorkerId },
      // A service manager and a director who resolved a doubt now play that part.
      { ...plain, doubtResolvers: [{ personId: 'sm', role: 'service_manager' as const }, { personId: 'sd2', role: 'service_director' as const }] },
      // The service manager's view recorded on the open doubt; and a request closed.
      withView(plain),
      { ...plain, closedAt: '2026-11-21T09:00:00.000Z' },
    ];
  });
  test.each(PERSONAS)('every request variant × listed ability for %s, also as the store asks it (simplified)', (persona) => {
    const person = PEOPLE[persona];
    const conditions = listed.map((ability) => ({ ability, where: whereCan(person, ability, NOW), asked: forQuery(whereCan(person, ability, NOW)) }));
    const waiting = whereWaiting(person, NOW);
    const waitingAsked = forQuery(waiting);
    for (const request of variants) {
      for (const { ability, where, asked } of conditions) {
        const allowed = can(person, ability, request, NOW).ok;
        expect({ state: request.state, ability, holds: holds(where, request), asked: holds(asked, request) }).toEqual({ state: request.state, ability, holds: allowed, asked: allowed });
      }
      expect(holds(waiting, request)).toBe(isWaitingFor(request, person, NOW));
      expect(holds(waitingAsked, request)).toBe(isWaitingFor(request, person, NOW));
    }
  });
  test('an access worker whose authorisation has ended, or whose training is not recorded or not yet reached, is waited for by nothing', () => {
    for (const person of [
      { ...PEOPLE.aaw, accessWorkerAuthorisedUntil: '2026-11-01' },
      { ...PEOPLE.aaw, accessWorkerTrainedOn: null },
      { ...PEOPLE.aaw, accessWorkerTrainedOn: '2026-12-01' },
    ]) {
      expect(holds(whereWaiting(person, NOW), requestIn('assigned'))).toBe(false);
      expect(holds(whereCan(person, 'claim', NOW), requestIn('authorised'))).toBe(false);
    }
    expect(holds(whereWaiting(PEOPLE.aaw, NOW), requestIn('assigned'))).toBe(true);
  });
  test('"shared with me" holds for each person the log was shared with, and for no one else', () => {
    const shared = { ...requestIn('shared'), sharedWith: [{ personId: PEOPLE.tm.id, at: NOW.toISOString() }] };
    expect(holds({ sharedWith: PEOPLE.tm.id }, shared)).toBe(true);
    expect(holds({ sharedWith: PEOPLE.osw.id }, shared)).toBe(false);
    expect(holds({ sharedWith: PEOPLE.tm.id }, { ...shared, sharedWith: [] })).toBe(false);
  });
});

/** The fixture's request with the service manager's view recorded on its doubt (when it has one). */
function withView(request: InvestigationRequest): InvestigationRequest {
  return {
    ...request,
    doubts: request.doubts.map((d) => ({ ...d, serviceManagerView: { by: 'sm', at: '2026-11-21T09:00:00.000Z', note: 'Spoke to both workers' } })),
    doubtResolvers: request.doubts.length > 0 ? [{ personId: 'sm', role: 'service_manager' }] : request.doubtResolvers,
  };
}

describe('doubts (issue 14 item 7): raised by either worker, a view from the case’s service manager, then a director’s decision', () => {
  test.each(PERSONAS)('once the view is recorded only a director not otherwise on the request resolves it · %s', (persona) => {
    const request = withView(requestIn('on_hold'));
    const body = parseForm(actionBodySchemas['resolve-doubt'], { version: request.version, outcome: 'resume', reason: 'Carry on' });
    const allowed = ['sd', 'sd2'].includes(persona);
    expect(allowedActions(request, PEOPLE[persona], NOW).some((a) => a.action === 'resolve-doubt')).toBe(allowed);
    expect(allowedActions(request, PEOPLE[persona], NOW).some((a) => a.action === 'record-doubt-view')).toBe(false);
    if (allowed) {
      const outcome = decide('resolve-doubt', body, request, PEOPLE[persona], NOW, FACTS);
      expect(outcome.request.state).toBe('searching');
      expect(outcome.request.doubts[0]?.serviceManagerView?.note).toBe('Spoke to both workers');
      expect(outcome.request.doubts[0]?.resolution).toEqual({ by: persona, at: NOW.toISOString(), outcome: 'resume', note: 'Carry on' });
    } else {
      expect(() => decide('resolve-doubt', body, request, PEOPLE[persona], NOW, FACTS)).toThrow(AppError);
    }
  });

  test('the originating worker’s doubt is recorded as hers; the case’s service manager is asked, and the access worker told', () => {
    const request = requestIn('searching');
    const outcome = decide('raise-doubt', { version: request.version, reason: 'Wrong profile' }, request, PEOPLE.osw, NOW, FACTS);
    expect(outcome.request.doubts).toEqual([{ raisedBy: 'osw', raisedAs: 'originating_worker', raisedAt: NOW.toISOString(), reason: 'Wrong profile', serviceManagerView: null, resolution: null }]);
    expect(outcome.request.stateBeforeHold).toBe('searching');
    expect(outcome.notifications).toEqual(expect.arrayContaining([{ kind: 'resolve_doubt', to: { personId: 'sm' } }, { kind: 'status_changed', to: { personId: 'aaw' } }]));
    expect(outcome.notifications.some((n) => n.kind === 'resolve_doubt' && 'role' in n.to && n.to.role === 'service_director')).toBe(false);
  });

  test('the view goes to the directors; when the directory names the case’s service manager, another may not give it', () => {
    const request = requestIn('on_hold');
    const body = { version: request.version, reason: 'Resume with care' };
    const outcome = decide('record-doubt-view', body, request, PEOPLE.sm, NOW, FACTS);
    expect(outcome.request.doubts[0]?.serviceManagerView).toEqual({ by: 'sm', at: NOW.toISOString(), note: 'Resume with care' });
    expect(outcome.request.doubtResolvers).toEqual([{ personId: 'sm', role: 'service_manager' }]);
    expect(outcome.notifications).toContainEqual({ kind: 'resolve_doubt', to: { role: 'service_director', except: expect.not.arrayContaining(['sd']) } });
    const another = { ...PEOPLE.sm, id: 'sm2', displayName: 'sm2' };
    expect(() => decide('record-doubt-view', body, request, another, NOW, FACTS)).toThrow(expect.objectContaining({ code: 'forbidden', rule: 'doubt_resolution' }));
    // With no service manager named for the team, any service manager may give the view.
    expect(decide('record-doubt-view', body, request, another, NOW, { ...FACTS, serviceManager: null }).request.doubts[0]?.serviceManagerView?.by).toBe('sm2');
  });

  test('a doubt that ends in cancellation after evidence files the log and waits for the case record', () => {
    const request = withView(requestIn('on_hold'));
    const body = parseForm(actionBodySchemas['resolve-doubt'], { version: request.version, outcome: 'cancel', reason: 'Stop' });
    const outcome = decide('resolve-doubt', body, request, PEOPLE.sd2, NOW, { ...FACTS, evidenceCaptured: true });
    expect(outcome.request).toMatchObject({ state: 'cancelled', closedAt: null });
    expect(outcome.notifications).toContainEqual({ kind: 'record_documents', to: { system: true } });
    const without = decide('resolve-doubt', body, request, PEOPLE.sd2, NOW, { ...FACTS, evidenceCaptured: false });
    expect(without.request).toMatchObject({ state: 'cancelled', closedAt: NOW.toISOString() });
  });
});

describe('the case record (issue 14 item 11)', () => {
  test('sharing does not close the request; recording the placement does, with who and when', () => {
    const finalised = requestIn('finalised');
    const shared = decide('share', { version: finalised.version }, finalised, PEOPLE.osw, NOW, FACTS).request;
    expect(shared).toMatchObject({ state: 'shared', closedAt: null });
    const closed = decide('record-placement', { version: shared.version }, shared, PEOPLE.osw, NOW, FACTS);
    expect(closed.request).toMatchObject({ state: 'closed', closedAt: NOW.toISOString(), caseRecordPlacement: { by: 'osw', at: NOW.toISOString() } });
    expect(closed.audit).toMatchObject({ action: 'record-placement', fromState: 'shared', toState: 'closed' });
  });

  test('not before the documents are filed, and never twice', () => {
    const shared = requestIn('shared');
    expect(() => decide('record-placement', { version: shared.version }, shared, PEOPLE.osw, NOW, { ...FACTS, documentsFiled: false })).toThrow(
      expect.objectContaining({ code: 'invalid_state', rule: 'case_record' }),
    );
    const closed = requestIn('closed');
    expect(() => decide('record-placement', { version: closed.version }, closed, PEOPLE.osw, NOW, FACTS)).toThrow(AppError);
    const cancelledClean = { ...requestIn('cancelled'), closedAt: NOW.toISOString() };
    expect(allowedActions(cancelledClean, PEOPLE.osw, NOW).map((a) => a.action)).not.toContain('record-placement');
  });

  test.each(['withdraw', 'cancel'] as const)('%s after evidence leaves the request open for the case record; before evidence it closes at once', (action) => {
    const request = requestIn('searching');
    const actor = action === 'withdraw' ? PEOPLE.osw : PEOPLE.sd;
    const body = { version: request.version, reason: 'No longer needed' };
    expect(decide(action, body, request, actor, NOW, { ...FACTS, evidenceCaptured: true }).request.closedAt).toBeNull();
    expect(decide(action, body, request, actor, NOW, { ...FACTS, evidenceCaptured: false }).request.closedAt).toBe(NOW.toISOString());
  });

  test('a lapse after evidence waits for the case record too', () => {
    const request = requestIn('assigned');
    expect(expire(request, NOW, 'Not used', true).request.closedAt).toBeNull();
    expect(expire(request, NOW, 'Not used', false).request.closedAt).toBe(NOW.toISOString());
  });
});
