/**
 * Every workflow action goes through here — from the API and from cards alike — so the same
 * rules, the same audit entry (or audited refusal) and the same notifications apply whatever the surface.
 */
import { AppError, invalidState } from '../../domain/errors';
import { actionBodySchemas, parseForm, type ActionBodies } from '../../domain/forms';
import { isWorkflowAction, type WorkflowAction } from '../../domain/states';
import { decide, dueExpiry, expire, type ActionFacts } from '../../domain/workflow';
import type { AppDeps } from '../deps';
import type { Caller, UnitOfWork } from '../ports';
import type { InvestigationRequest } from '../../domain/request';
import type { Role } from '../../domain/roles';
import { throughGate } from '../gate';
import { deputiesOf } from '../deputies/standing-in';
import { assertVersion, caseServiceManager, recordOutcome } from './shared';
import { earlierChecksFor } from './earlier-checks';
import { toView } from './view';
import { withDecisionReads } from './read-for-decision';
import { londonDate } from '../../domain/dates';

async function factsFor<A extends WorkflowAction>(uow: UnitOfWork, action: A, body: ActionBodies[A], request: InvestigationRequest): Promise<ActionFacts> {
  switch (action) {
    case 'submit': {
      const originator = await uow.directory.get(request.originatingWorkerId);
      const chosen = (body as ActionBodies['submit']).teamManagerId;
      return {
        teamManager: originator?.managerId ? await uow.directory.get(originator.managerId) : null,
        chosenTeamManager: chosen ? await uow.directory.get(chosen) : null,
      };
    }
    case 'share': {
      const chosen = (body as ActionBodies['share']).serviceManagerId;
      return { serviceManager: await caseServiceManager(uow, request), chosenServiceManager: chosen ? await uow.directory.get(chosen) : null };
    }
    case 'authorise':
    case 'assign': {
      const id = (body as ActionBodies['authorise' | 'assign']).accessWorkerId;
      return { accessWorker: id ? await uow.directory.get(id) : null };
    }
    case 'complete-log': {
      const sessions = await uow.searchSessions.listForRequest(request.id);
      return { searchSessions: { held: sessions.length, open: sessions.filter((s) => s.endedAt === null).length } };
    }
    case 'withdraw':
    case 'cancel':
    case 'resolve-doubt':
      return { evidenceCaptured: (await uow.evidence.listForRequest(request.id)).length > 0 };
    case 'raise-doubt':
    case 'record-doubt-view':
      return { serviceManager: await caseServiceManager(uow, request) };
    case 'record-placement': {
      // The documents to place are the last filed: the log as shared, or as it stood when the request stopped.
      const occasion = request.state === 'shared' ? 'share' : 'closed_early';
      return { documentsFiled: (await uow.documents.listForRequest(request.id)).some((d) => d.occasion === occasion) };
    }
    default:
      return {};
  }
}

/**
 * The roles whose holders an action's notifications may go to (domain/workflow.ts), read with the
 * request; a role not listed here is still asked of the database when a notification needs it.
 */
const ROLES_NOTIFIED: Partial<Record<WorkflowAction, Role[]>> = {
  agree: ['service_director'],
  authorise: ['access_worker'],
  'raise-doubt': ['service_manager'],
  'record-doubt-view': ['service_director'],
};

/** The people an action's body names, read with the request. */
function peopleNamed(body: ActionBodies[WorkflowAction]): string[] {
  const named = body as { teamManagerId?: unknown; serviceManagerId?: unknown; accessWorkerId?: unknown };
  return [named.teamManagerId, named.serviceManagerId, named.accessWorkerId].filter((id): id is string => typeof id === 'string');
}

/**
 * A request leaving `searching` (a doubt raised, a withdrawal, a cancellation) ends any search
 * session still running, at that moment: time on hold, or after the search stopped, is not time
 * searching, and the evaluation reads the sessions' durations.
 */
async function endRunningSessions(uow: UnitOfWork, request: InvestigationRequest, action: WorkflowAction, now: Date): Promise<void> {
  for (const session of await uow.searchSessions.listForRequest(request.id)) {
    if (session.endedAt !== null) continue;
    const durationSeconds = Math.max(0, Math.round((now.getTime() - new Date(session.startedAt).getTime()) / 1000));
    await uow.searchSessions.end(session.id, now.toISOString(), durationSeconds);
    await uow.audit.append({
      at: now.toISOString(),
      actorId: 'system',
      actorRole: 'system',
      action: 'end_search_session',
      requestId: request.id,
      fromState: request.state,
      toState: request.state,
      reason: null,
      detail: { sessionId: session.id, durationSeconds, endedBy: action },
      httpRequestId: null,
    });
  }
}

export async function takeAction(deps: AppDeps, caller: Caller, requestId: string, actionName: string, input: unknown) {
  if (!isWorkflowAction(actionName)) {
    throw new AppError('not_found', `There is no action “${actionName}”.`);
  }
  const action: WorkflowAction = actionName;
  const body = parseForm(actionBodySchemas[action], input ?? {});
  const now = deps.clock.now();
  // The gate loads the request for `view` only: a lapsed authorisation is expired before the action is judged.
  // A claim is judged at once: the access worker who came second can no longer see the request, and
  // is told it was taken rather than that it is not found.
  const after = await throughGate(deps, caller, action, requestId, async (gate) => {
    const result = await deps.store.transaction(async (store) => {
      const today = londonDate(now);
      const reads = await gate.loadForDecision(store, { people: peopleNamed(body), today, roles: ROLES_NOTIFIED[action] ?? [] }, action === 'claim' ? 'claim' : 'view');
      const { request } = reads;
      const uow = withDecisionReads(store, reads, today);
      const due = dueExpiry(request, now);
      if (due) {
        // Time ran out before this action: the expiry is committed, then the action refused.
        await recordOutcome(uow, request, expire(request, now, due.reason, (await uow.evidence.listForRequest(request.id)).length > 0), 'system', null);
        return { expired: due.reason };
      }
      assertVersion(request, body.version);
      // The engine asks the policy again (`can`) for the action itself, and checks the body.
      const outcome = decide(action, body, request, caller.person, now, await factsFor(uow, action, body, request), deps.settings.workflow);
      if (action === 'submit') {
        // Waiting requests go to the team manager's deputy too, while one is named.
        for (const deputyId of await deputiesOf(uow, outcome.request, now)) {
          if (deputyId !== caller.person.id) outcome.notifications.push({ kind: 'agree_request', to: { personId: deputyId } });
        }
      }
      if (request.state === 'searching' && outcome.request.state !== 'searching') await endRunningSessions(uow, request, action, now);
      await recordOutcome(uow, request, outcome, caller.person, caller.requestId);
      return outcome.request;
    });
    if ('expired' in result) throw invalidState(`This request has expired: ${result.expired}`);
    return result;
  });
  const earlierChecks = await earlierChecksFor(deps.store.read, after, caller.person, now);
  return toView(after, caller.person, now, deps.directory, deps.settings.protocol, deps.settings.retention, { earlierChecks });
}
