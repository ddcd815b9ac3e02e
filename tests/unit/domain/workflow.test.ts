/**
 * The engine, exhaustively: every state × action × person, against an expectation table written
 * from DESIGN.md §2 independently of the engine's own policy table.
 */
import { AppError } from '../../../src/domain/errors';
import { actionBodySchemas, parseForm } from '../../../src/domain/forms';
import { REQUEST_STATES, WORKFLOW_ACTIONS, type RequestState, type WorkflowAction } from '../../../src/domain/states';
import { allowedActions, decide, type ActionFacts } from '../../../src/domain/workflow';
import { NOW, PEOPLE, PERSONAS, requestIn, type PersonaName } from './fixtures';

const OPEN: RequestState[] = ['draft', 'awaiting_team_manager', 'awaiting_service_director', 'authorised', 'assigned', 'searching', 'on_hold', 'with_originating_worker'];

/** Who may take each action from which state, and where it leads. */
const EXPECTED: Record<WorkflowAction, { from: RequestState[]; who: (state: RequestState) => PersonaName[]; to: (state: RequestState) => RequestState }> = {
  submit: { from: ['draft'], who: () => ['osw'], to: () => 'awaiting_team_manager' },
  agree: { from: ['awaiting_team_manager'], who: () => ['tm'], to: () => 'awaiting_service_director' },
  decline: { from: ['awaiting_team_manager'], who: () => ['tm'], to: () => 'declined' },
  return: { from: ['awaiting_team_manager', 'awaiting_service_director'], who: (s) => (s === 'awaiting_team_manager' ? ['tm'] : ['sd', 'sd2']), to: () => 'draft' },
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
    expect(allowedActions(request, actor, NOW).includes(action)).toBe(allowed);
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
      expect(['forbidden', 'invalid_state']).toContain((error as AppError).code);
      expect((error as AppError).message.length).toBeGreaterThan(10);
      // A refusal leaves the request exactly as it was.
      expect(request).toEqual(requestIn(state));
    }
  });
});
