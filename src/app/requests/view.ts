/**
 * The request as the API shows it to one person: the form at top level, plus state and what
 * this person may do with it — so the tab and the cards never derive it again.
 */
import { addDays, londonDate } from '../../domain/dates';
import { abilitiesOn } from '../../domain/policy';
import { DEFAULT_RETENTION_SETTINGS, retainUntil, retentionRule, type RetentionSettings } from '../../domain/retention';
import { oneOffWindowClosesAt, type ProtocolSettings } from '../../domain/protocol';
import type { InvestigationRequest, StoredForm } from '../../domain/request';
import type { Person } from '../../domain/roles';
import { STATE_LABELS } from '../../domain/states';
import type { Directory } from '../ports';
import type { EarlierCheckView } from './earlier-checks';

export type RequestView = ReturnType<typeof buildView>;

const NEXT_STEP: Record<InvestigationRequest['state'], string> = {
  draft: 'The originating social worker completes and submits the request.',
  awaiting_team_manager: 'The team manager agrees, returns or declines the request.',
  awaiting_service_director: 'The service director authorises, returns or refuses the request.',
  authorised: 'An access worker on the register claims the request.',
  assigned: 'The access worker confirms the search is legitimate.',
  searching: 'The access worker searches and completes the log.',
  on_hold: 'The service manager for the case’s team records a view; then a service director resolves the doubt.',
  with_originating_worker: 'The originating social worker assesses and finalises the log.',
  finalised: 'The originating social worker shares the log.',
  shared: 'The originating social worker places the documents on the case record and records it.',
  closed: 'Closed: the log has been shared and placed on the case record.',
  declined: 'Closed: declined.',
  refused: 'Closed: refused.',
  cancelled: 'Closed: cancelled.',
  expired: 'Closed: the authorisation expired.',
};

/**
 * An access worker looking at the register sees what they need to decide to claim, not children's
 * dates of birth or people's addresses; those appear once the request is theirs.
 */
function forTheRegister(form: StoredForm): StoredForm {
  return {
    ...form,
    children: form.children.map((c) => ({ name: c.name })),
    subjects: form.subjects.map(({ dateOfBirth: _dateOfBirth, area: _area, ...subject }) => subject),
  };
}

/** What one kind of view carries besides: a single request's earlier checks, a list's overdue flag. */
export interface ViewExtras {
  earlierChecks?: EarlierCheckView[] | null;
  overdue?: boolean;
}

/** Everyone the request names, whose display names its view carries. */
export function namedPeople(request: InvestigationRequest): string[] {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => {
    if (id && id !== 'system') ids.add(id);
  };
  add(request.originatingWorkerId);
  add(request.teamManagerId);
  add(request.agreement?.by);
  add(request.authorisation?.by);
  add(request.accessWorkerId);
  add(request.designatedAccessWorkerId);
  add(request.lastReason?.by);
  for (const r of request.doubtResolvers) add(r.personId);
  for (const s of request.sharedWith) add(s.personId);
  for (const d of request.doubts) {
    add(d.raisedBy);
    add(d.serviceManagerView?.by);
    add(d.resolution?.by);
  }
  add(request.caseRecordPlacement?.by);
  return [...ids];
}

/** Display names by person id, as the directory has them; people it does not know are left out. */
export async function displayNames(directory: Directory, ids: Iterable<string>): Promise<ReadonlyMap<string, string>> {
  const listed = [...new Set(ids)];
  const named = await Promise.all(listed.map((id) => directory.get(id)));
  const names = new Map<string, string>();
  named.forEach((person, i) => {
    if (person) names.set(listed[i] as string, person.displayName);
  });
  return names;
}

export async function toView(
  request: InvestigationRequest,
  viewer: Person,
  now: Date,
  directory: Directory,
  protocol: ProtocolSettings,
  retention: RetentionSettings = DEFAULT_RETENTION_SETTINGS,
  extras: ViewExtras = {},
) {
  return buildView(request, viewer, now, await displayNames(directory, namedPeople(request)), protocol, retention, extras);
}

/**
 * The view from names already looked up (`names` holds at least everyone `namedPeople` lists):
 * a list looks each person up once for the whole page, not once per request.
 */
export function buildView(
  request: InvestigationRequest,
  viewer: Person,
  now: Date,
  names: ReadonlyMap<string, string>,
  protocol: ProtocolSettings,
  retention: RetentionSettings = DEFAULT_RETENTION_SETTINGS,
  extras: ViewExtras = {},
) {
  const { allowedActions, abilities, waitingForMe } = abilitiesOn(request, viewer, now);
  const form = abilities.includes('see-personal-details') ? request.form : forTheRegister(request.form);
  const people: Record<string, string> = {};
  for (const id of namedPeople(request)) {
    const name = names.get(id);
    if (name !== undefined) people[id] = name;
  }
  // One literal, every field named (the form's too), not a spread or Object.assign: V8 grows an
  // object's property store a few slots at a time as properties are copied in, and a list builds
  // fifty of these. A draft's unanswered questions are undefined here, and left out of its JSON.
  return {
    caseReference: form.caseReference,
    team: form.team,
    children: form.children,
    concernCategories: form.concernCategories,
    concernOther: form.concernOther,
    concernDetails: form.concernDetails,
    justification: form.justification,
    subjects: form.subjects,
    period: form.period,
    monitoring: form.monitoring,
    urgency: form.urgency,
    neededBy: form.neededBy,
    id: request.id,
    reference: request.reference,
    state: request.state,
    version: request.version,
    originatingWorkerId: request.originatingWorkerId,
    teamManagerId: request.teamManagerId,
    agreement: request.agreement,
    authorisation: request.authorisation,
    designatedAccessWorkerId: request.designatedAccessWorkerId,
    accessWorkerId: request.accessWorkerId,
    doubtResolvers: request.doubtResolvers,
    stateBeforeHold: request.stateBeforeHold,
    doubts: request.doubts,
    caseRecordPlacement: request.caseRecordPlacement,
    lastReason: request.lastReason,
    firstSearchStartedAt: request.firstSearchStartedAt,
    log: request.log,
    feedback: request.feedback,
    linkedFromRequestId: request.linkedFromRequestId,
    sharedWith: request.sharedWith,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    submittedAt: request.submittedAt,
    closedAt: request.closedAt,
    stateLabel: STATE_LABELS[request.state],
    nextStep: NEXT_STEP[request.state],
    /** The workflow actions this person may take now, each with whether it needs a written reason. */
    allowedActions,
    /** What else this person may do with the request now: edit the draft, write the log, search, … */
    abilities,
    /** Whether a step of this person's is what the request waits for. */
    waitingForMe,
    people,
    /** A one-off check searches until this instant (from its first session), or until the log is completed if sooner. */
    searchWindowClosesAt: oneOffWindowClosesAt(request, protocol),
    oneOffReviewDays: protocol.oneOffReviewDays,
    /** The six-month follow-up is accepted from this instant. */
    followUpOpensAt: request.sharedWith[0] ? addDays(new Date(request.sharedWith[0].at), protocol.followUpDays).toISOString() : null,
    /**
     * People on this request checked under another authorisation in the last 12 months, for the
     * team manager and the service directors and managers; null for anyone else, and in lists.
     */
    earlierChecks: extras.earlierChecks ?? null,
    ageDays: Math.max(0, Math.floor((now.getTime() - new Date(request.createdAt).getTime()) / 86_400_000)),
    today: londonDate(now),
    /** Why the council may hold this record, and for how long (a legal hold is shown by the retention routes). */
    retention: { lawfulBasis: retention.lawfulBasis, rule: retentionRule(request.state, retention.schedule), retainUntil: retainUntil(request, retention.schedule) },
    /** In a list: whether the request has waited longer than the reminders allow; absent elsewhere. */
    overdue: extras.overdue,
  };
}
