/**
 * Conditions as the store asks them: simplified so the database plans them quickly and can use its
 * state index. That the simplified form holds exactly when `can` allows is checked for every
 * ability, person and state in workflow.test.ts.
 */
import { ALWAYS, forQuery, NEVER, possibleStates, simplify, type Condition } from '../../../src/domain/conditions';
import { whereCan, whereWaiting } from '../../../src/domain/policy';
import { REQUEST_STATES } from '../../../src/domain/states';
import { NOW, PEOPLE } from './fixtures';

const mine: Condition = { field: 'originatingWorkerId', is: 'osw' };
const closed: Condition = { closed: true };
const shared: Condition = { sharedWith: 'osw' };

describe('simplify', () => {
  test('flattens, folds constants and drops repeated members', () => {
    expect(simplify({ all: [ALWAYS, { all: [mine, { state: ['draft'] }] }, mine, { any: [NEVER, closed] }] })).toEqual({ all: [mine, { state: ['draft'] }, closed] });
    expect(simplify({ all: [mine, NEVER] })).toEqual(NEVER);
    expect(simplify({ any: [mine, ALWAYS] })).toEqual(ALWAYS);
    expect(simplify({ not: NEVER })).toEqual(ALWAYS);
    expect(simplify({ not: { all: [ALWAYS] } })).toEqual(NEVER);
  });

  test('a state test naming every state tests nothing; one naming none fails', () => {
    expect(simplify({ all: [{ state: REQUEST_STATES }, mine] })).toEqual(mine);
    expect(simplify({ any: [{ state: [] }, mine] })).toEqual(mine);
  });

  test('takes out of an "any" what every branch shares', () => {
    expect(simplify({ any: [{ all: [mine, closed] }, { all: [shared, mine] }] })).toEqual({ all: [mine, { any: [closed, shared] }] });
    // (a and b) or a is a.
    expect(simplify({ any: [{ all: [mine, closed] }, mine] })).toEqual(mine);
  });
});

describe('forQuery', () => {
  test('leads with the states a condition can hold in', () => {
    const waiting = whereWaiting(PEOPLE.sd, NOW);
    const states = possibleStates(simplify(waiting));
    expect(states.length).toBeGreaterThan(0);
    expect(states.length).toBeLessThan(REQUEST_STATES.length);
    const asked = forQuery({ all: [whereCan(PEOPLE.sd, 'view', NOW), waiting] });
    expect('all' in asked && asked.all[0]).toEqual({ state: states });
  });

  test('a list of everything the person sees asks the view once, however many rules repeat it', () => {
    const view = simplify(whereCan(PEOPLE.sd, 'view', NOW));
    const asked = JSON.stringify(forQuery({ all: [whereCan(PEOPLE.sd, 'view', NOW), whereWaiting(PEOPLE.sd, NOW)] }));
    expect(asked.split(JSON.stringify(view)).length - 1).toBe(1);
  });
});
