/**
 * Who may do what, declared as a table so it can be read and tested on its own.
 * The engine (workflow.ts) applies it; nothing else decides permissions.
 */
import { type Person, hasRole, ROLE_LABELS } from './roles';
import type { InvestigationRequest } from './request';
import { OPEN_STATES, type RequestState, type WorkflowAction } from './states';

/** The part a person plays on one request. One person plays at most one part per request. */
export type RequestRole = 'originating_worker' | 'team_manager' | 'service_director' | 'service_manager' | 'access_worker';

export const REQUEST_ROLE_LABELS: Record<RequestRole, string> = {
  originating_worker: 'originating social worker',
  team_manager: 'team manager',
  service_director: 'service director',
  service_manager: 'service manager',
  access_worker: 'access worker',
};

/** Who, relative to the request, may take a step in a given part. */
type Relation =
  | 'originator' // the request's originating social worker
  | 'line_manager' // the originator's team manager recorded at submission
  | 'any_holder' // anyone holding the directory role
  | 'assigned_access_worker'; // the access worker who holds the request

export interface ActionRule {
  from: readonly RequestState[];
  /** The parts that may take this action, in order of preference, with the relation each needs. */
  parts: readonly { part: RequestRole; relation: Relation; when?: readonly RequestState[] }[];
  reasonRequired: boolean;
  /** How the action reads in a sentence: "cannot ___ this request". */
  verb: string;
}

const SUBMITTED_OPEN = OPEN_STATES.filter((s) => s !== 'draft');

export const ACTION_RULES: Record<WorkflowAction, ActionRule> = {
  submit: { from: ['draft'], parts: [{ part: 'originating_worker', relation: 'originator' }], reasonRequired: false, verb: 'submit' },
  agree: { from: ['awaiting_team_manager'], parts: [{ part: 'team_manager', relation: 'line_manager' }], reasonRequired: false, verb: 'agree' },
  decline: { from: ['awaiting_team_manager'], parts: [{ part: 'team_manager', relation: 'line_manager' }], reasonRequired: true, verb: 'decline' },
  return: {
    from: ['awaiting_team_manager', 'awaiting_service_director'],
    parts: [
      { part: 'team_manager', relation: 'line_manager', when: ['awaiting_team_manager'] },
      { part: 'service_director', relation: 'any_holder', when: ['awaiting_service_director'] },
    ],
    reasonRequired: true,
    verb: 'return',
  },
  authorise: { from: ['awaiting_service_director'], parts: [{ part: 'service_director', relation: 'any_holder' }], reasonRequired: false, verb: 'authorise' },
  refuse: { from: ['awaiting_service_director'], parts: [{ part: 'service_director', relation: 'any_holder' }], reasonRequired: true, verb: 'refuse' },
  claim: { from: ['authorised'], parts: [{ part: 'access_worker', relation: 'any_holder' }], reasonRequired: false, verb: 'claim' },
  assign: {
    from: ['authorised'],
    parts: [
      { part: 'service_director', relation: 'any_holder' },
      { part: 'service_manager', relation: 'any_holder' },
    ],
    reasonRequired: false,
    verb: 'assign',
  },
  'confirm-legitimacy': { from: ['assigned'], parts: [{ part: 'access_worker', relation: 'assigned_access_worker' }], reasonRequired: false, verb: 'confirm the legitimacy of' },
  'raise-doubt': { from: ['assigned', 'searching'], parts: [{ part: 'access_worker', relation: 'assigned_access_worker' }], reasonRequired: true, verb: 'raise a doubt about' },
  'resolve-doubt': {
    from: ['on_hold'],
    parts: [
      { part: 'service_manager', relation: 'any_holder' },
      { part: 'service_director', relation: 'any_holder' },
    ],
    reasonRequired: true,
    verb: 'resolve the doubt on',
  },
  'complete-log': { from: ['searching'], parts: [{ part: 'access_worker', relation: 'assigned_access_worker' }], reasonRequired: false, verb: 'complete the log of' },
  finalise: { from: ['with_originating_worker'], parts: [{ part: 'originating_worker', relation: 'originator' }], reasonRequired: false, verb: 'finalise' },
  share: { from: ['finalised'], parts: [{ part: 'originating_worker', relation: 'originator' }], reasonRequired: false, verb: 'share' },
  withdraw: {
    from: OPEN_STATES,
    parts: [
      { part: 'originating_worker', relation: 'originator' },
      { part: 'team_manager', relation: 'line_manager' },
    ],
    reasonRequired: true,
    verb: 'withdraw',
  },
  cancel: { from: SUBMITTED_OPEN, parts: [{ part: 'service_director', relation: 'any_holder' }], reasonRequired: true, verb: 'cancel' },
  'review-monitoring': {
    from: ['authorised', 'assigned', 'searching', 'on_hold'],
    parts: [{ part: 'service_director', relation: 'any_holder' }],
    reasonRequired: false,
    verb: 'review the monitoring of',
  },
};

const DIRECTORY_ROLE: Record<RequestRole, Person['roles'][number]> = {
  originating_worker: 'social_worker',
  team_manager: 'team_manager',
  service_director: 'service_director',
  service_manager: 'service_manager',
  access_worker: 'access_worker',
};

/** Everyone who already plays a part on this request. */
export function partsOnRequest(request: InvestigationRequest): Map<string, RequestRole> {
  const parts = new Map<string, RequestRole>();
  const put = (id: string | null | undefined, part: RequestRole) => {
    if (id && !parts.has(id)) parts.set(id, part);
  };
  put(request.originatingWorkerId, 'originating_worker');
  put(request.teamManagerId, 'team_manager');
  put(request.agreement?.by, 'team_manager');
  put(request.authorisation?.by, 'service_director');
  put(request.accessWorkerId, 'access_worker');
  put(request.designatedAccessWorkerId, 'access_worker');
  for (const r of request.doubtResolvers) put(r.personId, r.role);
  return parts;
}

export type PartCheck = { ok: true; part: RequestRole } | { ok: false; message: string };

function relationHolds(relation: Relation, request: InvestigationRequest, actor: Person): boolean {
  switch (relation) {
    case 'originator':
      return request.originatingWorkerId === actor.id;
    case 'line_manager':
      return request.teamManagerId === actor.id;
    case 'assigned_access_worker':
      return request.accessWorkerId === actor.id;
    case 'any_holder':
      return true;
  }
}

/**
 * Which part the actor would take for this action, or why they may not. Checks the directory
 * role, the relation to the request and the one-part-per-request rule; not the state.
 */
export function partFor(action: WorkflowAction, request: InvestigationRequest, actor: Person): PartCheck {
  const rule = ACTION_RULES[action];
  const existing = partsOnRequest(request).get(actor.id);
  const candidates = rule.parts.filter((p) => !p.when || p.when.includes(request.state));
  const usable = (candidates.length > 0 ? candidates : rule.parts).filter(
    (p) => hasRole(actor, DIRECTORY_ROLE[p.part]) && relationHolds(p.relation, request, actor),
  );
  if (usable.length === 0) {
    const wanted = [...new Set(rule.parts.map((p) => describeRelation(p.part, p.relation)))].join(' or ');
    if (existing) {
      return { ok: false, message: `You are the ${REQUEST_ROLE_LABELS[existing]} on this request: only ${wanted} may ${rule.verb} it.` };
    }
    return { ok: false, message: `Only ${wanted} may ${rule.verb} this request.` };
  }
  if (existing) {
    const same = usable.find((p) => p.part === existing);
    if (same) return { ok: true, part: same.part };
    return { ok: false, message: conflictMessage(existing, rule.verb) };
  }
  const first = usable[0];
  return first ? { ok: true, part: first.part } : { ok: false, message: `You may not ${rule.verb} this request.` };
}

function describeRelation(part: RequestRole, relation: Relation): string {
  switch (relation) {
    case 'originator':
      return 'the originating social worker';
    case 'line_manager':
      return "the originating social worker's team manager";
    case 'assigned_access_worker':
      return 'the access worker assigned to it';
    case 'any_holder':
      return `a ${ROLE_LABELS[DIRECTORY_ROLE[part]].toLowerCase()}`;
  }
}

function conflictMessage(existing: RequestRole, verb: string): string {
  const did: Record<RequestRole, string> = {
    originating_worker: 'you raised',
    team_manager: 'you agreed as team manager',
    service_director: 'you authorised as service director',
    service_manager: 'you acted on as service manager',
    access_worker: 'you hold as access worker',
  };
  return `You cannot ${verb} a request ${did[existing]}: one person never holds two roles on the same request.`;
}

/** Whether a person may see a request at all (object-level check; deny by default). */
export function maySee(request: InvestigationRequest, viewer: Person): boolean {
  if (request.originatingWorkerId === viewer.id) return true;
  if (partsOnRequest(request).has(viewer.id)) return true;
  if (request.state === 'draft' && request.submittedAt === null) return false;
  if (request.submittedAt === null) return false;
  if (hasRole(viewer, 'service_director') || hasRole(viewer, 'service_manager')) return true;
  if (hasRole(viewer, 'access_worker') && request.state === 'authorised' && request.designatedAccessWorkerId === null) return true;
  return false;
}

/** Administration (the people list, directory sync, the audit of both): administrators only. */
export function mayAdminister(person: Person): boolean {
  return person.active && hasRole(person, 'administrator');
}

/** Keeping the access worker register (training and authorisation dates, the register's limit): administrators only. */
export function mayKeepRegister(person: Person): boolean {
  return person.active && hasRole(person, 'administrator');
}
