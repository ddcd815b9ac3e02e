/**
 * A condition on a request's recorded facts, as data, so one rule can be checked in memory here
 * and run as SQL by the store (src/store/repositories/request-conditions.ts): lists filter in the
 * database by exactly what `can` allows.
 */
import type { InvestigationRequest } from './request';
import { REQUEST_STATES, type RequestState } from './states';

/** The request's fields that name a person. */
export type PersonField = 'originatingWorkerId' | 'teamManagerId' | 'agreementBy' | 'authorisationBy' | 'accessWorkerId' | 'designatedAccessWorkerId';

/** What a search looks in: references for anyone who sees the request, names only for those who see its details. */
export type SearchField = 'reference' | 'caseReference' | 'childNames' | 'subjectNames';

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { state: readonly RequestState[] }
  | { field: PersonField; is: string | null }
  | { resolver: string; role: 'service_manager' | 'service_director' }
  | { submitted: true }
  /** The text (case aside) appears in one of the fields. */
  | { matches: string; in: readonly SearchField[] }
  /** Raised at or after `from`, and before `before` (ISO instants). */
  | { created: { from?: string; before?: string } }
  /** The last doubt raised has (true) or has not (false) the service manager's view recorded. */
  | { doubtView: boolean }
  /** The request has (true) or has not (false) been closed: `closedAt` is set. */
  | { closed: boolean }
  /** The log has been shared with this person (the `share` action's recipients). */
  | { sharedWith: string };

export const ALWAYS: Condition = { all: [] };
export const NEVER: Condition = { any: [] };

export function personIn(request: InvestigationRequest, field: PersonField): string | null {
  switch (field) {
    case 'originatingWorkerId':
      return request.originatingWorkerId;
    case 'teamManagerId':
      return request.teamManagerId;
    case 'agreementBy':
      return request.agreement?.by ?? null;
    case 'authorisationBy':
      return request.authorisation?.by ?? null;
    case 'accessWorkerId':
      return request.accessWorkerId;
    case 'designatedAccessWorkerId':
      return request.designatedAccessWorkerId;
  }
}

/** Whether the request meets the condition. */
export function holds(condition: Condition, request: InvestigationRequest): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(c, request));
  if ('any' in condition) return condition.any.some((c) => holds(c, request));
  if ('not' in condition) return !holds(condition.not, request);
  if ('state' in condition) return condition.state.includes(request.state);
  if ('field' in condition) return personIn(request, condition.field) === condition.is;
  if ('resolver' in condition) return request.doubtResolvers.some((r) => r.personId === condition.resolver && r.role === condition.role);
  if ('matches' in condition) {
    const needle = condition.matches.toLowerCase();
    return condition.in.some((field) => searchable(request, field).some((text) => text.toLowerCase().includes(needle)));
  }
  if ('created' in condition) {
    const at = Date.parse(request.createdAt);
    const { from, before } = condition.created;
    return (!from || at >= Date.parse(from)) && (!before || at < Date.parse(before));
  }
  if ('doubtView' in condition) return Boolean(request.doubts[request.doubts.length - 1]?.serviceManagerView) === condition.doubtView;
  if ('closed' in condition) return (request.closedAt !== null) === condition.closed;
  if ('sharedWith' in condition) return request.sharedWith.some((s) => s.personId === condition.sharedWith);
  return request.submittedAt !== null;
}

function searchable(request: InvestigationRequest, field: SearchField): string[] {
  switch (field) {
    case 'reference':
      return [request.reference];
    case 'caseReference':
      return [request.form.caseReference];
    case 'childNames':
      return request.form.children.map((c) => c.name);
    case 'subjectNames':
      return request.form.subjects.flatMap((s) => [s.name ?? '', s.otherNames ?? '']);
  }
}

const KEYS = new WeakMap<Condition, string>();

/**
 * A condition's identity as data: two conditions with the same key are the same test. Built from
 * its members' keys, each worked out once, so keying a whole tree costs its size only once.
 */
function keyOf(condition: Condition): string {
  let key = KEYS.get(condition);
  if (key === undefined) {
    if ('all' in condition) key = `all(${condition.all.map(keyOf).join(',')})`;
    else if ('any' in condition) key = `any(${condition.any.map(keyOf).join(',')})`;
    else if ('not' in condition) key = `not(${keyOf(condition.not)})`;
    else key = JSON.stringify(condition);
    KEYS.set(condition, key);
  }
  return key;
}

const isAlways = (c: Condition): boolean => 'all' in c && c.all.length === 0;
const isNever = (c: Condition): boolean => 'any' in c && c.any.length === 0;
const conjuncts = (c: Condition): Condition[] => ('all' in c ? c.all : [c]);

/**
 * The same test, smaller. The policy builds conditions rule by rule, so they repeat themselves:
 * every "waiting" action repeats who may see the request, states are listed in full, branches for
 * grants the person lacks are `false`. This flattens nested all/any, folds constants, drops
 * repeated members and a state test naming every state, and takes a member every branch of an
 * `any` shares out of it ((a and b) or (a and c) is a and (b or c), also for unknowns). A request
 * meets the result exactly when it meets the condition; the database plans it far faster.
 */
export function simplify(condition: Condition): Condition {
  if ('all' in condition) return allOf(condition.all.map(simplify));
  if ('any' in condition) return anyOf(condition.any.map(simplify));
  if ('not' in condition) {
    const inner = simplify(condition.not);
    if (isAlways(inner)) return NEVER;
    if (isNever(inner)) return ALWAYS;
    return { not: inner };
  }
  if ('state' in condition) {
    const states = REQUEST_STATES.filter((s) => condition.state.includes(s));
    if (states.length === REQUEST_STATES.length) return ALWAYS;
    return states.length === 0 ? NEVER : { state: states };
  }
  return condition;
}

/** The conjunction of simplified members. */
function allOf(members: Condition[]): Condition {
  const kept = new Map<string, Condition>();
  for (const member of members) {
    for (const part of conjuncts(member)) {
      if (isNever(part)) return NEVER;
      kept.set(keyOf(part), part);
    }
  }
  const list = [...kept.values()];
  return list.length === 1 && list[0] ? list[0] : { all: list };
}

/** The disjunction of simplified members, with what every branch shares taken out. */
function anyOf(members: Condition[]): Condition {
  const kept = new Map<string, Condition>();
  for (const member of members) {
    for (const part of 'any' in member ? member.any : [member]) {
      if (isAlways(part)) return ALWAYS;
      kept.set(keyOf(part), part);
    }
  }
  const list = [...kept.values()];
  const [first] = list;
  if (!first) return NEVER;
  if (list.length === 1) return first;
  const branchKeys = list.map((branch) => new Set(conjuncts(branch).map(keyOf)));
  const shared = conjuncts(first).filter((c) => branchKeys.every((keys) => keys.has(keyOf(c))));
  if (shared.length === 0) return { any: list };
  const sharedKeys = new Set(shared.map(keyOf));
  return allOf([...shared, anyOf(list.map((branch) => allOf(conjuncts(branch).filter((c) => !sharedKeys.has(keyOf(c))))))]);
}

/** The states in which a request can meet the condition (every state when it does not say). */
export function possibleStates(condition: Condition): readonly RequestState[] {
  if ('all' in condition) {
    return condition.all.reduce<readonly RequestState[]>((states, c) => {
      const possible = possibleStates(c);
      return states.filter((s) => possible.includes(s));
    }, REQUEST_STATES);
  }
  if ('any' in condition) {
    const possible = condition.any.map(possibleStates);
    return REQUEST_STATES.filter((s) => possible.some((states) => states.includes(s)));
  }
  if ('state' in condition) return condition.state;
  return REQUEST_STATES;
}

/**
 * The condition as a list asks it of the database: simplified, and led by the states it can hold
 * in when those are fewer than all, so the state index finds the candidates whatever the rest says.
 */
export function forQuery(condition: Condition): Condition {
  let asked = ASKED.get(condition);
  if (asked === undefined) {
    const simple = simplify(condition);
    const states = possibleStates(simple);
    asked = states.length < REQUEST_STATES.length ? allOf([{ state: states }, simple]) : simple;
    ASKED.set(condition, asked);
  }
  return asked;
}

/** Conditions are never changed once built: one kept (see list-requests.ts) is simplified once. */
const ASKED = new WeakMap<Condition, Condition>();
