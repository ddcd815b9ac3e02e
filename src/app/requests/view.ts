/** The request as the API shows it to one person: the form at top level, plus state and allowed actions. */
import { addDays, londonDate } from '../../domain/dates';
import { oneOffWindowClosesAt, type ProtocolSettings } from '../../domain/protocol';
import { partsOnRequest } from '../../domain/policy';
import type { InvestigationRequest, RequestForm } from '../../domain/request';
import type { Person } from '../../domain/roles';
import { STATE_LABELS, type WorkflowAction } from '../../domain/states';
import { allowedActions } from '../../domain/workflow';
import type { Directory } from '../ports';

export type RequestView = ReturnType<typeof toView> extends Promise<infer V> ? V : never;

const NEXT_STEP: Record<InvestigationRequest['state'], string> = {
  draft: 'The originating social worker completes and submits the request.',
  awaiting_team_manager: 'The team manager agrees, returns or declines the request.',
  awaiting_service_director: 'The service director authorises, returns or refuses the request.',
  authorised: 'An access worker on the register claims the request.',
  assigned: 'The access worker confirms the search is legitimate.',
  searching: 'The access worker searches and completes the log.',
  on_hold: 'The service manager or service director resolves the doubt.',
  with_originating_worker: 'The originating social worker assesses and finalises the log.',
  finalised: 'The originating social worker shares the log.',
  shared: 'Closed: the log has been shared.',
  declined: 'Closed: declined.',
  refused: 'Closed: refused.',
  cancelled: 'Closed: cancelled.',
  expired: 'Closed: the authorisation expired.',
};

/**
 * An access worker looking at the register sees what they need to decide to claim, not children's
 * dates of birth or people's addresses; those appear once the request is theirs.
 */
function forTheRegister(form: RequestForm): RequestForm {
  return {
    ...form,
    children: form.children.map((c) => ({ name: c.name })),
    subjects: form.subjects.map(({ dateOfBirth: _dateOfBirth, area: _area, ...subject }) => subject),
  };
}

export async function toView(request: InvestigationRequest, viewer: Person, now: Date, directory: Directory, protocol: ProtocolSettings) {
  const { form: stored, ...rest } = request;
  const browsingRegister = request.state === 'authorised' && !partsOnRequest(request).has(viewer.id) && !viewer.roles.some((r) => r === 'service_director' || r === 'service_manager');
  const form = browsingRegister ? forTheRegister(stored) : stored;
  const ids = new Set<string>(
    [
      request.originatingWorkerId,
      request.teamManagerId,
      request.agreement?.by,
      request.authorisation?.by,
      request.accessWorkerId,
      request.designatedAccessWorkerId,
      request.lastReason?.by,
      ...request.doubtResolvers.map((r) => r.personId),
      ...request.sharedWith.map((s) => s.personId),
    ].filter((id): id is string => Boolean(id) && id !== 'system'),
  );
  const people: Record<string, string> = {};
  await Promise.all(
    [...ids].map(async (id) => {
      const person = await directory.get(id);
      if (person) people[id] = person.displayName;
    }),
  );
  const actions: WorkflowAction[] = allowedActions(request, viewer, now);
  return {
    ...form,
    ...rest,
    stateLabel: STATE_LABELS[request.state],
    nextStep: NEXT_STEP[request.state],
    allowedActions: actions,
    people,
    /** A one-off check searches until this instant (from its first session), or until the log is completed if sooner. */
    searchWindowClosesAt: oneOffWindowClosesAt(request, protocol),
    oneOffReviewDays: protocol.oneOffReviewDays,
    /** The six-month follow-up is accepted from this instant. */
    followUpOpensAt: request.sharedWith[0] ? addDays(new Date(request.sharedWith[0].at), protocol.followUpDays).toISOString() : null,
    ageDays: Math.max(0, Math.floor((now.getTime() - new Date(request.createdAt).getTime()) / 86_400_000)),
    today: londonDate(now),
  };
}
