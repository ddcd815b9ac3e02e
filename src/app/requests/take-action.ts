/**
 * Every workflow action goes through here — from the API and from cards alike — so the same
 * rules, the same audit entry and the same notifications apply whatever the surface.
 */
import { AppError, invalidState } from '../../domain/errors';
import { actionBodySchemas, parseForm, type ActionBodies } from '../../domain/forms';
import { isWorkflowAction, type WorkflowAction } from '../../domain/states';
import { decide, dueExpiry, expire, type ActionFacts } from '../../domain/workflow';
import type { AppDeps } from '../deps';
import type { Caller, UnitOfWork } from '../ports';
import type { InvestigationRequest } from '../../domain/request';
import { assertVersion, loadVisible, recordOutcome } from './shared';
import { toView } from './view';

async function factsFor<A extends WorkflowAction>(uow: UnitOfWork, action: A, body: ActionBodies[A], request: InvestigationRequest): Promise<ActionFacts> {
  switch (action) {
    case 'submit': {
      const originator = await uow.directory.get(request.originatingWorkerId);
      return { teamManagerId: originator?.managerId ?? null };
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
    default:
      return {};
  }
}

export async function takeAction(deps: AppDeps, caller: Caller, requestId: string, actionName: string, input: unknown) {
  if (!isWorkflowAction(actionName)) {
    throw new AppError('not_found', `There is no action “${actionName}”.`);
  }
  const action: WorkflowAction = actionName;
  const body = parseForm(actionBodySchemas[action], input ?? {});
  const now = deps.clock.now();
  try {
    const after = await deps.store.transaction(async (uow) => {
      const request = await loadVisible(uow, caller, requestId, true);
      const due = dueExpiry(request, now);
      if (due) {
        // Time ran out before this action: the expiry is committed, then the action refused.
        await recordOutcome(uow, request, expire(request, now, due.reason), 'system', null);
        return { expired: due.reason };
      }
      assertVersion(request, body.version);
      const outcome = decide(action, body, request, caller.person, now, await factsFor(uow, action, body, request), deps.settings.workflow);
      await recordOutcome(uow, request, outcome, caller.person, caller.requestId);
      return outcome.request;
    });
    if ('expired' in after) throw invalidState(`This request has expired: ${after.expired}`);
    return toView(after, caller.person, now, deps.directory);
  } catch (error) {
    if (error instanceof AppError && REFUSALS.includes(error.code)) await auditRefusal(deps, caller, requestId, action, error, now);
    throw error;
  }
}

const REFUSALS: AppError['code'][] = ['forbidden', 'invalid_state', 'stale_version'];

/**
 * Repeated identical refusals (same person, request, action and reason) are recorded once per
 * minute: the first at once, the rest counted and the count written on the next entry after the
 * minute, so a script retrying cannot flood the timeline. Counted per instance.
 */
const REFUSAL_WINDOW_MS = 60_000;
const MAX_TRACKED_REFUSALS = 10_000;
const refusalWindows = new WeakMap<AppDeps, Map<string, { since: number; repeats: number }>>();

function refusalRepeats(deps: AppDeps, key: string, now: Date): number | 'suppress' {
  let windows = refusalWindows.get(deps);
  if (!windows) refusalWindows.set(deps, (windows = new Map()));
  const window = windows.get(key);
  if (window && now.getTime() - window.since < REFUSAL_WINDOW_MS) {
    window.repeats += 1;
    return 'suppress';
  }
  if (windows.size >= MAX_TRACKED_REFUSALS) windows.clear();
  windows.set(key, { since: now.getTime(), repeats: 0 });
  return window?.repeats ?? 0;
}

/** Refusals are recorded with their reason, in a transaction of their own since the action's rolled back. */
async function auditRefusal(deps: AppDeps, caller: Caller, requestId: string, action: WorkflowAction, error: AppError, now: Date): Promise<void> {
  const repeats = refusalRepeats(deps, JSON.stringify([caller.person.id, requestId, action, error.message]), now);
  if (repeats === 'suppress') return;
  await deps.store.transaction(async (uow) => {
    const request = await uow.requests.get(requestId);
    if (!request) return;
    await uow.audit.append({
      at: now.toISOString(),
      actorId: caller.person.id,
      actorRole: 'refused',
      action: `refused:${action}`,
      requestId,
      fromState: request.state,
      toState: request.state,
      reason: error.message,
      detail: { code: error.code, ...(repeats > 0 ? { repeatedInLastMinute: repeats } : {}) },
      httpRequestId: caller.requestId,
    });
  });
}
