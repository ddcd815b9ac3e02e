/**
 * The policy and the engine, exhaustively: every ability × state × person, against expectation
 * tables written from DESIGN.md §1–2 independently of the policy table itself.
 */
import { AppError } from '../../../src/domain/errors';
import { actionBodySchemas, parseForm } from '../../../src/domain/forms';
import { REQUEST_STATES, WORKFLOW_ACTIONS, type RequestState, type WorkflowAction } from '../../../src/domain/states';
import { holds } from '../../../src/domain/conditions';
import {
  ABILITIES,
  allowedActions,
  can,
  isPersonAbility,
  isWaitingFor,
  PERSON_ABILITIES,
  POLICY,
  RECORD_ABILITIES,
  whereCan,
  whereWaiting,
  type PersonAbility,
  type RecordAbility,
  type RequestAbility,
} from '../../../src/domain/policy';
import { decide, type ActionFacts } from '../../../src/domain/workflow';
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
  'raise-doubt': { from: ['assigned', 'searching'], who: () => ['aaw'], to: () => 'on_hold' },
  'resolve-doubt': { from: ['on_hold'], who: () => ['sd', 'sd2', 'sm'], to: () => 'searching' },
  'complete-log': { from: ['searching'], who: () => ['aaw'], to: () => 'with_originating_worker' },
  finalise: { from: ['with_originating_worker'], who: () => ['osw'], to: () => 'finalised' },
  share: { from: ['finalised'], who: () => ['osw'], to: () => 'shared' },
  withdraw: { from: OPEN, who: (s) => (s === 'draft' ? ['osw'] : ['osw', 'tm']), to: () => 'cancelled' },
  cancel: { from: OPEN.filter((s) => s !== 'draft'), who: () => ['sd', 'sd2'], to: () => 'cancelled' },
  'review-monitoring': { from: ['authorised', 'assigned', 'searching', 'on_hold'], who: () => ['sd', 'sd2'], to: (s) => s },
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

const FACTS: ActionFacts = { teamManager: PEOPLE.tm, serviceManager: PEOPLE.sm, accessWorker: PEOPLE.aaw2, searchSessions: { held: 1, open: 0 } };

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
      if (!mayView(state, persona)) expect((error as AppError).code).toBe('not_found');
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
  const assigned = ['assigned', 'searching', 'on_hold', 'with_originating_worker', 'finalised', 'shared'].includes(state);
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

const HELD: RequestState[] = ['assigned', 'searching', 'on_hold', 'with_originating_worker', 'finalised', 'shared'];

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
  'give-feedback': (s, p) => ['finalised', 'shared'].includes(s) && p === 'osw',
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
const TASKS: WorkflowAction[] = ['submit', 'agree', 'decline', 'return', 'authorise', 'refuse', 'claim', 'assign', 'confirm-legitimacy', 'resolve-doubt', 'complete-log', 'finalise', 'share'];
const REASONS: WorkflowAction[] = ['decline', 'return', 'refuse', 'withdraw', 'cancel', 'raise-doubt', 'resolve-doubt'];

describe('what a view carries: actions with their reasons, and "waiting for me"', () => {
  test.each(REQUEST_STATES.flatMap((s) => PERSONAS.map((p) => [s, p] as const)))('%s · %s', (state, persona) => {
    const request = requestIn(state);
    const actions = allowedActions(request, PEOPLE[persona], NOW);
    for (const { action, reasonRequired } of actions) expect(reasonRequired).toBe(REASONS.includes(action));
    expect(isWaitingFor(request, PEOPLE[persona], NOW)).toBe(actions.some((a) => TASKS.includes(a.action)));
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
    ];
  });
  test.each(PERSONAS)('every request variant × listed ability for %s', (persona) => {
    const person = PEOPLE[persona];
    for (const request of variants) {
      for (const ability of listed) {
        expect({ state: request.state, ability, holds: holds(whereCan(person, ability, NOW), request) }).toEqual({ state: request.state, ability, holds: can(person, ability, request, NOW).ok });
      }
      expect(holds(whereWaiting(person, NOW), request)).toBe(isWaitingFor(request, person, NOW));
    }
  });
  test('an access worker whose authorisation has ended is waited for by nothing', () => {
    const lapsed = { ...PEOPLE.aaw, accessWorkerAuthorisedUntil: '2026-11-01' };
    expect(holds(whereWaiting(lapsed, NOW), requestIn('assigned'))).toBe(false);
    expect(holds(whereWaiting(PEOPLE.aaw, NOW), requestIn('assigned'))).toBe(true);
  });
});
