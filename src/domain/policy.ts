/**
 * Who may do what: ONE table for every ability — the workflow actions, and everything else a
 * person can do with a request (see it, edit the draft, write the log, search, record and view
 * evidence, give feedback) or without one (raise a request, see the people register, the
 * dashboard, administration). `can` is the only function that answers "may this person do this";
 * the engine, the use cases' gate, the views and the lists all ask it.
 */
import { ALWAYS, holds, NEVER, type Condition, type PersonField } from './conditions';
import { formatDate, londonDate } from './dates';
import type { InvestigationRequest } from './request';
import { accessWorkerStanding, hasRole, ROLE_LABELS, type Person, type Role } from './roles';
import { OPEN_STATES, REQUEST_STATES, STATE_LABELS, WORKFLOW_ACTIONS, type RequestState, type WorkflowAction } from './states';

/** The part a person plays on one request. One person plays at most one part per request. */
export type RequestRole = 'originating_worker' | 'team_manager' | 'service_director' | 'service_manager' | 'access_worker';

export const REQUEST_ROLE_LABELS: Record<RequestRole, string> = {
  originating_worker: 'originating social worker',
  team_manager: 'team manager',
  service_director: 'service director',
  service_manager: 'service manager',
  access_worker: 'access worker',
};

/** What a person may do with a request besides the workflow actions. */
export const RECORD_ABILITIES = [
  'view',
  /** Children's dates of birth and people's addresses: not shown to access workers browsing the register. */
  'see-personal-details',
  'edit-draft',
  /** Delete a draft never submitted; the audit trail keeps that it existed. */
  'discard-draft',
  /** Raise a new request linked to this one, about a further person found. */
  'raise-linked',
  /** The access worker's findings while searching; the originating worker's assessment after. */
  'write-log',
  'search',
  'end-search-session',
  'record-evidence',
  'view-evidence',
  'give-feedback',
] as const;
export type RecordAbility = (typeof RECORD_ABILITIES)[number];

/** What a person may do that concerns no one request. */
export const PERSON_ABILITIES = [
  'raise-request',
  /** The people register, e.g. the access workers a director may choose from. */
  'view-people',
  'view-dashboard',
  /** The people list, directory sync and their audit. */
  'administer',
  /** The access worker register: training and authorisation dates, the register's limit. */
  'keep-register',
  'manage-pilot-settings',
  'view-evaluation',
  'answer-survey',
  /** Subject access: finding and reading what is held about a person. */
  'search-disclosure',
  'propose-disposal',
  'confirm-disposal',
  'place-legal-hold',
  /** The retention review list and each request's retention, tombstones included. */
  'view-retention',
] as const;
export type PersonAbility = (typeof PERSON_ABILITIES)[number];

export type RequestAbility = WorkflowAction | RecordAbility;
export type Ability = RequestAbility | PersonAbility;
export const ABILITIES: readonly Ability[] = [...WORKFLOW_ACTIONS, ...RECORD_ABILITIES, ...PERSON_ABILITIES];

export function isPersonAbility(ability: Ability): ability is PersonAbility {
  return (PERSON_ABILITIES as readonly string[]).includes(ability);
}

/** Who, relative to the request, a grant is for. */
type Relation =
  | 'originator' // the request's originating social worker
  | 'line_manager' // the originator's team manager recorded at submission
  | 'deputy' // a team manager standing in today, as named deputy, for the request's team manager
  | 'assigned_access_worker' // the access worker who holds the request
  | 'participant' // anyone already playing a part on the request
  | 'participant_in_role' // a participant who still holds the directory role of their part
  | 'any_holder' // anyone holding the directory role
  | 'once_submitted' // anyone holding the directory role, once the request has been submitted
  | 'open_to_register'; // an access worker, while the request is authorised and no one was chosen

/** The part recorded for someone who only looks: looking never makes a person play a part. */
export type Part = RequestRole | 'viewer';

/** Why not: a person who may never do it (forbidden), or not in this state (invalid_state). */
export interface Refusal {
  code: 'forbidden' | 'invalid_state';
  message: string;
}

interface Grant {
  /** The part the person takes (recorded in the audit trail); a part other than viewer counts for the one-part rule. */
  part: Part;
  /** The directory role needed; null when the relation alone decides. */
  role: Role | null;
  relation: Relation;
  /** Only in these states, where an ability passes to different people as the request moves on. */
  when?: readonly RequestState[];
}

export interface AbilityRule {
  /** States in which it can be used; null for an ability that concerns no request. */
  from: readonly RequestState[] | null;
  grants: readonly Grant[];
  /** Whether taking it needs a written reason (DESIGN.md §2). */
  reasonRequired: boolean;
  /**
   * A step someone must take for the request to move on: what "waiting for me" lists. Being able to
   * withdraw or cancel is always true of an open request and is not a task.
   */
  waiting: boolean;
  /** How the ability reads in a sentence: "cannot ___ this request". */
  verb: string;
  /** The refusal when the state does not allow it, if better said than the general one. */
  notNow?: string;
  /** A further condition on the request's recorded facts, as data so lists can ask it in SQL; and why not. */
  onlyIf?: { where: (personId: string) => Condition; refusal: Refusal };
  /** A further condition on dates and scope that lists never need; says why not. */
  unless?: (request: InvestigationRequest, actor: Person, today: string) => Refusal | null;
}

const DIRECTORY_ROLE: Record<RequestRole, Role> = {
  originating_worker: 'social_worker',
  team_manager: 'team_manager',
  service_director: 'service_director',
  service_manager: 'service_manager',
  access_worker: 'access_worker',
};

/** A grant to take a part on the request. */
const as = (part: RequestRole, relation: Relation, when?: readonly RequestState[]): Grant => ({ part, role: DIRECTORY_ROLE[part], relation, ...(when ? { when } : {}) });
/** A grant to look, which takes no part. */
const looks = (role: Role | null, relation: Relation): Grant => ({ part: 'viewer', role, relation });

const SUBMITTED_OPEN = OPEN_STATES.filter((s) => s !== 'draft');
const NOT_DRAFT = REQUEST_STATES.filter((s) => s !== 'draft');
const ALL = REQUEST_STATES;

/** Who may look at a request at all: deny by default. */
const VIEWERS: readonly Grant[] = [
  // A part taken once is no licence to look for ever: someone moved out of the role's group loses it.
  looks(null, 'participant_in_role'),
  // A deputy sees what waits for the team manager they stand in for; acting makes them a participant.
  { ...looks('team_manager', 'deputy'), when: ['awaiting_team_manager'] },
  looks('service_director', 'once_submitted'),
  looks('service_manager', 'once_submitted'),
  looks('access_worker', 'open_to_register'),
];

const workflow = (
  from: readonly RequestState[],
  grants: readonly Grant[],
  verb: string,
  options: Partial<Pick<AbilityRule, 'reasonRequired' | 'waiting' | 'onlyIf' | 'unless'>> = {},
): AbilityRule => ({ ...options, from, grants, verb, reasonRequired: options.reasonRequired ?? false, waiting: options.waiting ?? true });

/** An ability that concerns no one request, held by anyone with one of `roles` (null: by everyone). */
function personAbility(roles: readonly Role[] | null, verb: string): AbilityRule {
  return { from: null, grants: roles ? roles.map((r) => looks(r, 'any_holder')) : [looks(null, 'any_holder')], reasonRequired: false, waiting: false, verb };
}

/** Searching and recording stop when monitoring has ended or run past its end date. */
function monitoringStopped(request: InvestigationRequest, _actor: Person, today: string): Refusal | null {
  const monitoring = request.authorisation?.scope.monitoring;
  if (monitoring?.endedOn) return { code: 'forbidden', message: `Monitoring ended on ${formatDate(monitoring.endedOn)}: no further searches are authorised.` };
  if (monitoring && monitoring.endDate < today) return { code: 'forbidden', message: `Monitoring was authorised until ${formatDate(monitoring.endDate)} only.` };
  return null;
}

export const POLICY: Record<Ability, AbilityRule> = {
  // The workflow actions (DESIGN.md §2).
  submit: workflow(['draft'], [as('originating_worker', 'originator')], 'submit'),
  // The team manager's named deputy decides as the team manager while their period lasts.
  agree: workflow(['awaiting_team_manager'], [as('team_manager', 'line_manager'), as('team_manager', 'deputy')], 'agree'),
  decline: workflow(['awaiting_team_manager'], [as('team_manager', 'line_manager'), as('team_manager', 'deputy')], 'decline', { reasonRequired: true }),
  return: workflow(
    ['awaiting_team_manager', 'awaiting_service_director'],
    [
      as('team_manager', 'line_manager', ['awaiting_team_manager']),
      as('team_manager', 'deputy', ['awaiting_team_manager']),
      as('service_director', 'any_holder', ['awaiting_service_director']),
    ],
    'return',
    { reasonRequired: true },
  ),
  authorise: workflow(['awaiting_service_director'], [as('service_director', 'any_holder')], 'authorise'),
  refuse: workflow(['awaiting_service_director'], [as('service_director', 'any_holder')], 'refuse', { reasonRequired: true }),
  claim: workflow(['authorised'], [as('access_worker', 'any_holder')], 'claim', {
    onlyIf: {
      where: (me) => ({ any: [{ field: 'designatedAccessWorkerId', is: null }, { field: 'designatedAccessWorkerId', is: me }] }),
      refusal: { code: 'forbidden', message: 'The service director chose another access worker for this request.' },
    },
  }),
  assign: workflow(['authorised'], [as('service_director', 'any_holder'), as('service_manager', 'any_holder')], 'assign'),
  'confirm-legitimacy': workflow(['assigned'], [as('access_worker', 'assigned_access_worker')], 'confirm the legitimacy of'),
  // Either worker may raise uncertainty or disagreement: the protocol asks the two to work together.
  'raise-doubt': workflow(['assigned', 'searching'], [as('access_worker', 'assigned_access_worker'), as('originating_worker', 'originator')], 'raise a doubt about', {
    reasonRequired: true,
    waiting: false,
  }),
  // The service manager for the case's team gives a view first (the engine checks it is theirs when the directory names them) …
  'record-doubt-view': workflow(['on_hold'], [as('service_manager', 'any_holder')], 'record a view on the doubt about', {
    reasonRequired: true,
    onlyIf: {
      where: () => ({ doubtView: false }),
      refusal: { code: 'invalid_state', message: 'The service manager’s view on this doubt is recorded: a service director now resolves it.' },
    },
  }),
  // … then a service director decides.
  'resolve-doubt': workflow(['on_hold'], [as('service_director', 'any_holder')], 'resolve the doubt on', {
    reasonRequired: true,
    onlyIf: {
      where: () => ({ doubtView: true }),
      refusal: { code: 'invalid_state', message: 'A doubt is resolved by a service director after the service manager for the case’s team has recorded a view: no view is recorded yet.' },
    },
  }),
  'complete-log': workflow(['searching'], [as('access_worker', 'assigned_access_worker')], 'complete the log of'),
  finalise: workflow(['with_originating_worker'], [as('originating_worker', 'originator')], 'finalise'),
  share: workflow(['finalised'], [as('originating_worker', 'originator')], 'share'),
  withdraw: workflow(OPEN_STATES, [as('originating_worker', 'originator'), as('team_manager', 'line_manager')], 'withdraw', { reasonRequired: true, waiting: false }),
  cancel: workflow(SUBMITTED_OPEN, [as('service_director', 'any_holder')], 'cancel', { reasonRequired: true, waiting: false }),
  // The filed documents wait for the originating worker to place them on the case record; only then is the request closed.
  'record-placement': workflow(['shared', 'cancelled', 'expired'], [as('originating_worker', 'originator')], 'record the placement on the case record of', {
    onlyIf: { where: () => ({ closed: false }), refusal: { code: 'invalid_state', message: 'There are no filed documents waiting to be placed on the case record.' } },
  }),
  'review-monitoring': workflow(['authorised', 'assigned', 'searching', 'on_hold'], [as('service_director', 'any_holder')], 'review the monitoring of', {
    waiting: false,
    unless: (request) =>
      request.authorisation?.scope.kind === 'monitoring' ? null : { code: 'invalid_state', message: 'This is a one-off check: there is no monitoring to review.' },
  }),

  // What else a person does with a request.
  view: { from: ALL, grants: VIEWERS, reasonRequired: false, waiting: false, verb: 'see' },
  'see-personal-details': {
    from: ALL,
    grants: VIEWERS.filter((g) => g.relation !== 'open_to_register'),
    reasonRequired: false,
    waiting: false,
    verb: 'see the personal details in',
  },
  'edit-draft': {
    from: ['draft'],
    grants: [as('originating_worker', 'originator')],
    reasonRequired: false,
    waiting: false,
    verb: 'edit',
    notNow: 'Only a draft can be edited: this request has been submitted.',
  },
  'discard-draft': {
    from: ['draft'],
    grants: [as('originating_worker', 'originator')],
    reasonRequired: false,
    waiting: false,
    verb: 'discard',
    notNow: 'Only a draft can be discarded: this request has been submitted. Withdraw it instead, giving a reason.',
    // Nobody else has seen a draft never submitted; a returned one has been seen, and is withdrawn with a reason.
    onlyIf: {
      where: () => ({ not: { submitted: true } }),
      refusal: { code: 'invalid_state', message: 'This request was returned after it was submitted: withdraw it instead, giving a reason.' },
    },
  },
  'raise-linked': {
    from: NOT_DRAFT,
    grants: [as('originating_worker', 'originator')],
    reasonRequired: false,
    waiting: false,
    verb: 'raise a linked request from',
    notNow: 'A linked request can follow only a submitted request.',
  },
  'write-log': {
    from: ['searching', 'with_originating_worker'],
    grants: [as('access_worker', 'assigned_access_worker', ['searching']), as('originating_worker', 'originator', ['with_originating_worker'])],
    reasonRequired: false,
    waiting: false,
    verb: 'write the log of',
    notNow: 'The access worker records findings while the search is under way; the originating social worker writes the assessment once the log is completed, before it is finalised.',
  },
  search: {
    from: ['searching'],
    grants: [as('access_worker', 'assigned_access_worker')],
    reasonRequired: false,
    waiting: false,
    verb: 'search for',
    notNow: 'Searching is possible only after legitimacy is confirmed, and until the log is completed.',
    unless: monitoringStopped,
  },
  'end-search-session': {
    from: ALL,
    grants: [as('access_worker', 'assigned_access_worker')],
    reasonRequired: false,
    waiting: false,
    verb: 'end a search session on',
  },
  'record-evidence': {
    from: ['searching'],
    grants: [as('access_worker', 'assigned_access_worker')],
    reasonRequired: false,
    waiting: false,
    verb: 'record evidence for',
    notNow: 'Evidence is recorded only while the search is under way.',
    unless: monitoringStopped,
  },
  'view-evidence': { from: NOT_DRAFT, grants: VIEWERS, reasonRequired: false, waiting: false, verb: 'view the evidence of', notNow: 'This request is a draft.' },
  'give-feedback': {
    from: ['finalised', 'shared', 'closed'],
    grants: [as('originating_worker', 'originator')],
    reasonRequired: false,
    waiting: false,
    verb: 'give feedback on',
    notNow: 'Feedback is given once the log has been finalised.',
  },

  // What a person does that concerns no one request.
  'raise-request': { from: null, grants: [as('originating_worker', 'any_holder')], reasonRequired: false, waiting: false, verb: 'raise an Investigation Request' },
  'view-people': {
    from: null,
    grants: [looks('service_director', 'any_holder'), looks('service_manager', 'any_holder'), looks('administrator', 'any_holder')],
    reasonRequired: false,
    waiting: false,
    verb: 'see the register of people',
  },
  'view-dashboard': {
    from: null,
    grants: [looks('service_director', 'any_holder'), looks('service_manager', 'any_holder'), looks('administrator', 'any_holder')],
    reasonRequired: false,
    waiting: false,
    verb: 'see the pilot dashboard',
  },
  administer: personAbility(['administrator'], 'administer the service'),
  'keep-register': personAbility(['administrator'], 'keep the access worker register'),
  'manage-pilot-settings': personAbility(['administrator'], 'change the pilot settings'),
  'view-evaluation': personAbility(['service_manager', 'service_director'], 'see the pilot evaluation'),
  'answer-survey': personAbility(null, 'answer the process survey'),
  'search-disclosure': personAbility(['administrator', 'service_manager'], 'search for a subject access disclosure'),
  'propose-disposal': personAbility(['service_manager'], 'propose disposing of a request'),
  'confirm-disposal': personAbility(['service_director'], 'confirm the disposal of a request'),
  'place-legal-hold': personAbility(['service_manager', 'service_director', 'administrator'], 'place or lift a legal hold'),
  'view-retention': personAbility(['service_manager', 'service_director'], 'see the retention review list'),
};

/** Everyone who already plays a part on this request, with that part. */
export function participants(request: InvestigationRequest): Map<string, RequestRole> {
  const parts = new Map<string, RequestRole>();
  const put = (id: string | null | undefined, part: RequestRole) => {
    if (id && id !== 'system' && !parts.has(id)) parts.set(id, part);
  };
  put(request.originatingWorkerId, 'originating_worker');
  put(request.teamManagerId, 'team_manager');
  put(request.agreement?.by, 'team_manager');
  put(request.authorisation?.by, 'service_director');
  put(request.accessWorkerId, 'access_worker');
  put(request.designatedAccessWorkerId, 'access_worker');
  for (const r of request.doubtResolvers) put(r.personId, r.role);
  for (const r of request.returnedBy) put(r.personId, r.role);
  return parts;
}

/**
 * One person's checks on one request at one moment: what several checks share (the participants,
 * London's date, whether the person may see the request) is worked out once, on first need. A
 * request's view asks some forty checks of each request listed.
 */
interface Facts {
  readonly person: Person;
  readonly request: InvestigationRequest | null;
  readonly now: Date;
  today?: string;
  parts?: Map<string, RequestRole>;
  visible?: boolean;
}

const todayOf = (f: Facts): string => (f.today ??= londonDate(f.now));
const partsOf = (f: Facts, request: InvestigationRequest): Map<string, RequestRole> => (f.parts ??= participants(request));

function relationHolds(relation: Relation, f: Facts): boolean {
  if (relation === 'any_holder') return true;
  const { request, person: actor } = f;
  if (!request) return false;
  switch (relation) {
    case 'originator':
      return request.originatingWorkerId === actor.id;
    case 'line_manager':
      return request.teamManagerId === actor.id;
    case 'deputy':
      return request.teamManagerId !== null && Boolean(actor.standsInFor?.includes(request.teamManagerId));
    case 'assigned_access_worker':
      return request.accessWorkerId === actor.id;
    case 'participant':
      return partsOf(f, request).has(actor.id);
    case 'participant_in_role': {
      const part = partsOf(f, request).get(actor.id);
      return part !== undefined && hasRole(actor, DIRECTORY_ROLE[part]);
    }
    case 'once_submitted':
      return request.submittedAt !== null;
    case 'open_to_register':
      return request.state === 'authorised' && request.designatedAccessWorkerId === null;
  }
}

/** The answer to "may this person do this": the part they would take, or why not. */
export type Decision = { ok: true; part: Part } | ({ ok: false } & (Refusal | { code: 'not_found'; message: string }));

export const NOT_VISIBLE = 'No request with that id is visible to you.';

const CLAIMED_BY_ANOTHER = 'Another access worker has already taken this request.';

/** An access worker, free of the request, who could have claimed it had another not claimed it first. */
function lostClaim(person: Person, request: InvestigationRequest): boolean {
  return (
    hasRole(person, 'access_worker') &&
    request.accessWorkerId !== null &&
    request.accessWorkerId !== person.id &&
    request.designatedAccessWorkerId === null &&
    request.state === 'assigned' &&
    !participants(request).has(person.id)
  );
}

/**
 * May `person` use `ability` on `request` (null for an ability that concerns no request) now?
 * Checks, in order: that they may see the request at all (else "not found", so nothing is
 * revealed), their directory role and relation to the request, the one-part-per-request rule,
 * the state, an access worker's authorisation dates, and the ability's own further condition.
 */
export function can(person: Person, ability: Ability, request: InvestigationRequest | null, now: Date): Decision {
  return decide(ability, { person, request, now });
}

function decide(ability: Ability, f: Facts): Decision {
  const { person, request } = f;
  const rule = POLICY[ability];
  if (rule.from !== null) {
    if (!request) return { ok: false, code: 'not_found', message: NOT_VISIBLE };
    if (ability !== 'view' && !(f.visible ??= decide('view', f).ok)) {
      // The access worker who lost a race to claim saw the request on the register a moment ago:
      // told it was taken, not that it does not exist (DESIGN §2, "the other is told what happened").
      if (ability === 'claim' && lostClaim(person, request)) return { ok: false, code: 'invalid_state', message: CLAIMED_BY_ANOTHER };
      return { ok: false, code: 'not_found', message: NOT_VISIBLE };
    }
  }
  const chosen = grantFor(rule, f);
  if (!chosen.ok) return ability === 'view' ? { ok: false, code: 'not_found', message: NOT_VISIBLE } : chosen;
  if (request && rule.from && !rule.from.includes(request.state)) {
    return { ok: false, code: 'invalid_state', message: rule.notNow ?? notNowMessage(ability, rule, request.state) };
  }
  if (chosen.part === 'access_worker') {
    const standing = accessWorkerStanding(person, todayOf(f));
    if (standing) return { ok: false, code: 'forbidden', message: standingMessage(standing, person) };
  }
  if (request && rule.onlyIf && !holds(rule.onlyIf.where(person.id), request)) return { ok: false, ...rule.onlyIf.refusal };
  const why = request && rule.unless ? rule.unless(request, person, todayOf(f)) : null;
  if (why) return { ok: false, ...why };
  return chosen;
}

/**
 * `decide(ability, f).ok`, without writing the refusal: a view asks some forty of these per request
 * and keeps only yes or no. The same checks as `decide`, the cheapest first (they all must pass, so
 * their order changes nothing); the workflow suite checks the two agree for every ability, person and state.
 */
function permits(ability: Ability, f: Facts): boolean {
  const { person, request } = f;
  const rule = POLICY[ability];
  if (rule.from !== null) {
    if (!request || !rule.from.includes(request.state)) return false;
    if (ability !== 'view' && !(f.visible ??= permits('view', f))) return false;
  }
  const part = usablePart(rule, f);
  if (part === undefined) return false;
  if (part === 'access_worker' && accessWorkerStanding(person, todayOf(f))) return false;
  if (request && rule.onlyIf && !holds(rule.onlyIf.where(person.id), request)) return false;
  return !(request && rule.unless && rule.unless(request, person, todayOf(f)));
}

/** The part `grantFor` would choose, or undefined where it refuses; read in the same order, building nothing. */
function usablePart(rule: AbilityRule, f: Facts): Part | undefined {
  const { request, person: actor } = f;
  const existing = request ? partsOf(f, request).get(actor.id) : undefined;
  const state = request?.state;
  // As `grantFor`: the grants for the request's state, or all of them when none is.
  const byState = state !== undefined && rule.grants.some((g) => !g.when || g.when.includes(state));
  for (const g of rule.grants) {
    if (byState && g.when && !g.when.includes(state)) continue;
    if (g.role !== null && !hasRole(actor, g.role)) continue;
    if (!relationHolds(g.relation, f)) continue;
    if (g.part === 'viewer' || !existing || g.part === existing) return g.part;
  }
  return undefined;
}

/** The request fields that make a person a participant, in the order `participants` reads them. */
const PART_FIELDS: readonly [PersonField, RequestRole][] = [
  ['originatingWorkerId', 'originating_worker'],
  ['teamManagerId', 'team_manager'],
  ['agreementBy', 'team_manager'],
  ['authorisationBy', 'service_director'],
  ['accessWorkerId', 'access_worker'],
  ['designatedAccessWorkerId', 'access_worker'],
];

function partConditions(me: string): [Condition, RequestRole][] {
  return [
    ...PART_FIELDS.map(([field, part]): [Condition, RequestRole] => [{ field, is: me }, part]),
    [{ resolver: me, role: 'service_manager' }, 'service_manager'],
    [{ resolver: me, role: 'service_director' }, 'service_director'],
  ];
}

/** The person's part on the request is `part` (the first field naming them decides, as in `participants`). */
function partIs(me: string, part: RequestRole): Condition {
  const all = partConditions(me);
  return { any: all.flatMap(([c, p], i) => (p === part ? [{ all: [c, ...all.slice(0, i).map(([earlier]) => ({ not: earlier }))] }] : [])) };
}

function relationWhere(relation: Relation, person: Person): Condition {
  const me = person.id;
  switch (relation) {
    case 'originator':
      return { field: 'originatingWorkerId', is: me };
    case 'line_manager':
      return { field: 'teamManagerId', is: me };
    case 'deputy':
      return { any: (person.standsInFor ?? []).map((id): Condition => ({ field: 'teamManagerId', is: id })) };
    case 'assigned_access_worker':
      return { field: 'accessWorkerId', is: me };
    case 'participant':
      return { any: partConditions(me).map(([c]) => c) };
    case 'participant_in_role':
      return { any: (Object.keys(DIRECTORY_ROLE) as RequestRole[]).filter((part) => hasRole(person, DIRECTORY_ROLE[part])).map((part) => partIs(me, part)) };
    case 'any_holder':
      return ALWAYS;
    case 'once_submitted':
      return { submitted: true };
    case 'open_to_register':
      return { all: [{ state: ['authorised'] }, { field: 'designatedAccessWorkerId', is: null }] };
  }
}

/**
 * The requests on which `person` may use `ability` now, as a condition the store runs in SQL:
 * the same table and the same order of checks as `can`, so a list holds exactly what `can` allows.
 * Defined for abilities without an `unless` (dates and scope), which is every ability a list asks about.
 */
export function whereCan(person: Person, ability: RequestAbility, now: Date): Condition {
  const allowed = whereAllowed(person, ability, now);
  return ability === 'view' ? allowed : { all: [whereAllowed(person, 'view', now), allowed] };
}

/** Why the register does not let a person act as an access worker today: said to them, or (`name`) about them. */
export function standingMessage(standing: NonNullable<ReturnType<typeof accessWorkerStanding>>, person: Pick<Person, 'accessWorkerTrainedOn' | 'accessWorkerAuthorisedUntil'>, name?: string): string {
  if (standing === 'untrained') {
    return name
      ? `No access worker training is recorded for ${name} on the register: an administrator records it first.`
      : 'No access worker training is recorded for you on the register: an administrator records it before you act as an access worker.';
  }
  if (standing === 'not_yet_trained') return `${name ? `${name}'s` : 'Your'} access worker training is recorded as on ${formatDate(person.accessWorkerTrainedOn ?? '')}: acting as an access worker starts then.`;
  return name ? `${name}'s access worker authorisation has ended.` : `Your authorisation as an access worker ended on ${formatDate(person.accessWorkerAuthorisedUntil ?? '')}.`;
}

/**
 * Everything `whereCan` and `whereWaiting` read of the person and of the moment: calls with the
 * same key build the same conditions, so a list may keep them.
 */
export function conditionKey(person: Person, now: Date): string {
  return JSON.stringify([person.id, person.roles, person.standsInFor ?? [], person.accessWorkerTrainedOn ?? null, person.accessWorkerAuthorisedUntil ?? null, londonDate(now)]);
}

/** `whereCan` without the check that the person may see the request (which `view` itself is). */
function whereAllowed(person: Person, ability: RequestAbility, now: Date): Condition {
  const rule = POLICY[ability];
  if (rule.unless || !rule.from) throw new Error(`“${ability}” cannot be asked of a list.`);
  const from = rule.from;
  const me = person.id;
  const lapsed = accessWorkerStanding(person, londonDate(now)) !== null;
  const participant = relationWhere('participant', person);
  const grants = rule.grants
    .filter((g) => (g.role === null || hasRole(person, g.role)) && !(lapsed && g.part === 'access_worker'))
    .map((g): Condition => ({
      all: [
        { state: g.when ? g.when.filter((s) => from.includes(s)) : from },
        relationWhere(g.relation, person),
        g.part === 'viewer' ? ALWAYS : { any: [{ not: participant }, partIs(me, g.part)] },
      ],
    }));
  return { all: [{ any: grants }, ...(rule.onlyIf ? [rule.onlyIf.where(me)] : [])] };
}

/** The requests on which the person plays a part: the list form of `participants`. */
export function whereParticipant(person: Person): Condition {
  return relationWhere('participant', person);
}

/** The requests waiting for a step of this person's: the list form of `isWaitingFor`. */
export function whereWaiting(person: Person, now: Date): Condition {
  // Seeing the request is asked once, not once for every step.
  const steps = WORKFLOW_ACTIONS.filter((a) => POLICY[a].waiting).map((a) => whereAllowed(person, a, now));
  return steps.length > 0 ? { all: [whereAllowed(person, 'view', now), { any: steps }] } : NEVER;
}

function notNowMessage(ability: Ability, rule: AbilityRule, state: RequestState): string {
  if ((WORKFLOW_ACTIONS as readonly string[]).includes(ability)) return `This request is “${STATE_LABELS[state]}”: it cannot be given the action “${ability}” now.`;
  return `This request is “${STATE_LABELS[state]}”: you cannot ${rule.verb} it now.`;
}

/** The grant the person would use: directory role, relation and the one-part-per-request rule; not the state. */
function grantFor(rule: AbilityRule, f: Facts): { ok: true; part: Part } | { ok: false; code: 'forbidden'; message: string } {
  const { request, person: actor } = f;
  const existing = request ? partsOf(f, request).get(actor.id) : undefined;
  const inState = request ? rule.grants.filter((g) => !g.when || g.when.includes(request.state)) : rule.grants;
  const usable = (inState.length > 0 ? inState : rule.grants).filter((g) => (g.role === null || hasRole(actor, g.role)) && relationHolds(g.relation, f));
  const object = request ? ' this request' : '';
  if (usable.length === 0) {
    const wanted = wantedOf(rule);
    if (existing) return { ok: false, code: 'forbidden', message: `You are the ${REQUEST_ROLE_LABELS[existing]} on this request: only ${wanted} may ${rule.verb}${request ? ' it' : ''}.` };
    return { ok: false, code: 'forbidden', message: `Only ${wanted} may ${rule.verb}${object}.` };
  }
  const free = usable.find((g) => g.part === 'viewer' || !existing || g.part === existing);
  if (free) return { ok: true, part: free.part };
  return { ok: false, code: 'forbidden', message: conflictMessage(existing ?? 'originating_worker', rule.verb) };
}

const WANTED = new Map<AbilityRule, string>();

/** Who may use the ability, in words: the same for every refusal of it, so written once. */
function wantedOf(rule: AbilityRule): string {
  let wanted = WANTED.get(rule);
  if (wanted === undefined) {
    wanted = [...new Set(rule.grants.map(describe))].join(' or ');
    WANTED.set(rule, wanted);
  }
  return wanted;
}

function describe(grant: Grant): string {
  switch (grant.relation) {
    case 'originator':
      return 'the originating social worker';
    case 'line_manager':
      return "the originating social worker's team manager";
    case 'deputy':
      return 'their named deputy';
    case 'assigned_access_worker':
      return 'the access worker assigned to it';
    case 'participant':
    case 'participant_in_role':
      return 'the people playing a part in it';
    case 'open_to_register':
      return 'an access worker on the register, while it is open to the register';
    case 'any_holder':
    case 'once_submitted':
      return grant.role ? withArticle(ROLE_LABELS[grant.role].toLowerCase()) : 'anyone';
  }
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
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

/** What a request's view tells one person they may do with it now. */
export interface AbilitiesOn {
  /** The workflow actions they may take, each with whether it needs a written reason. */
  allowedActions: { action: WorkflowAction; reasonRequired: boolean }[];
  /** The other abilities they hold on the request (beyond seeing it). */
  abilities: RecordAbility[];
  /** Whether the request waits for a step of theirs: the one definition of "waiting for me". */
  waitingForMe: boolean;
}

/** Every check a view needs, sharing one reading of the request (see `Facts`). */
export function abilitiesOn(request: InvestigationRequest, person: Person, now: Date): AbilitiesOn {
  const f: Facts = { person, request, now };
  const actions = WORKFLOW_ACTIONS.filter((a) => permits(a, f));
  return {
    allowedActions: actions.map((action) => ({ action, reasonRequired: POLICY[action].reasonRequired })),
    abilities: RECORD_ABILITIES.filter((a) => a !== 'view' && permits(a, f)),
    waitingForMe: actions.some((a) => POLICY[a].waiting),
  };
}

/** The workflow actions the person may take now, each with whether it needs a written reason. */
export function allowedActions(request: InvestigationRequest, person: Person, now: Date): { action: WorkflowAction; reasonRequired: boolean }[] {
  const f: Facts = { person, request, now };
  return WORKFLOW_ACTIONS.filter((a) => permits(a, f)).map((action) => ({ action, reasonRequired: POLICY[action].reasonRequired }));
}

/** The other abilities the person holds on the request now (beyond seeing it). */
export function recordAbilities(request: InvestigationRequest, person: Person, now: Date): RecordAbility[] {
  const f: Facts = { person, request, now };
  return RECORD_ABILITIES.filter((a) => a !== 'view' && permits(a, f));
}

/** Whether the request waits for a step of this person's: the one definition of "waiting for me". */
export function isWaitingFor(request: InvestigationRequest, person: Person, now: Date): boolean {
  const f: Facts = { person, request, now };
  return WORKFLOW_ACTIONS.some((a) => POLICY[a].waiting && permits(a, f));
}
