/** Steps several use cases share: finding a request the caller may see, and writing an outcome. */
import { AppError, notFound } from '../../domain/errors';
import { maySee } from '../../domain/policy';
import { hasRole } from '../../domain/roles';
import type { InvestigationRequest } from '../../domain/request';
import type { Person } from '../../domain/roles';
import { STATE_LABELS } from '../../domain/states';
import type { NotificationIntent, Outcome } from '../../domain/workflow';
import type { AppDeps } from '../deps';
import type { Caller, OutboxMessageInput, UnitOfWork } from '../ports';

/** Deny by default: a request the caller may not see is reported as not found. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loadVisible(uow: UnitOfWork, caller: Caller, id: string, lock = false): Promise<InvestigationRequest> {
  if (!UUID.test(id)) throw notFound('No request with that id is visible to you.');
  const request = lock ? await uow.requests.getForUpdate(id) : await uow.requests.get(id);
  if (!request || !maySee(request, caller.person)) throw notFound('No request with that id is visible to you.');
  return request;
}

export function assertVersion(request: InvestigationRequest, version: number | undefined): void {
  if (version !== undefined && version !== request.version) {
    throw new AppError(
      'stale_version',
      `This request has changed since you opened it: it is now version ${request.version} (“${STATE_LABELS[request.state]}”). Reload it and try again.`,
    );
  }
}

/** Resolves "everyone holding a role" into people, leaving out those who play another part. */
async function recipients(uow: UnitOfWork, intent: NotificationIntent): Promise<(string | null)[]> {
  const to = intent.to;
  if ('cards' in to || 'system' in to) return [null];
  if ('personId' in to) return [to.personId];
  const holders = await uow.directory.withRole(to.role);
  return holders.filter((p) => p.active && !to.except.includes(p.id)).map((p) => p.id);
}

/**
 * Writes an outcome: the request (only if its version is still the one read), its audit entry
 * and its outbox messages — all inside the caller's transaction.
 */
export async function recordOutcome(
  uow: UnitOfWork,
  before: InvestigationRequest,
  outcome: Outcome,
  actor: { id: string } | 'system',
  httpRequestId: string | null,
): Promise<void> {
  const written = await uow.requests.update(outcome.request, before.version);
  if (!written) {
    throw new AppError('stale_version', 'Someone else acted on this request at the same moment. Reload it to see what happened.');
  }
  const messages: OutboxMessageInput[] = [];
  const seen = new Set<string>();
  for (const intent of outcome.notifications) {
    for (const recipientId of await recipients(uow, intent)) {
      const key = `${intent.kind}:${recipientId ?? '*'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      messages.push({
        requestId: before.id,
        recipientId,
        kind: intent.kind,
        payload: {
          reference: before.reference,
          action: outcome.audit.action,
          fromState: outcome.audit.fromState,
          state: outcome.request.state,
          version: outcome.request.version,
          actorId: actor === 'system' ? 'system' : actor.id,
        },
      });
    }
  }
  if (messages.length > 0) await uow.outbox.add(messages);
  await uow.audit.append({
    at: outcome.request.updatedAt,
    actorId: actor === 'system' ? 'system' : actor.id,
    actorRole: outcome.part,
    action: outcome.audit.action,
    requestId: before.id,
    fromState: outcome.audit.fromState,
    toState: outcome.audit.toState,
    reason: outcome.audit.reason ?? null,
    detail: outcome.audit.detail ?? null,
    httpRequestId,
  });
}

/** Appends an audit entry for something that is not a state change (a view, a session, a draft edit). */
export async function auditEvent(
  uow: UnitOfWork,
  caller: Caller,
  request: InvestigationRequest,
  action: string,
  part: string,
  at: Date,
  detail: Record<string, unknown> | null = null,
): Promise<void> {
  await uow.audit.append({
    at: at.toISOString(),
    actorId: caller.person.id,
    actorRole: part,
    action,
    requestId: request.id,
    fromState: request.state,
    toState: request.state,
    reason: null,
    detail,
    httpRequestId: caller.requestId,
  });
}

export function personHasPart(request: InvestigationRequest, person: Person): boolean {
  return (
    request.originatingWorkerId === person.id ||
    request.teamManagerId === person.id ||
    request.agreement?.by === person.id ||
    request.authorisation?.by === person.id ||
    request.accessWorkerId === person.id ||
    request.doubtResolvers.some((r) => r.personId === person.id)
  );
}

/**
 * The service manager for the case's team: the team manager's own manager in the directory, when
 * they hold the service-manager role.
 */
export async function caseServiceManager(uow: Pick<UnitOfWork, 'directory'>, request: InvestigationRequest): Promise<Person | null> {
  const teamManager = request.teamManagerId ? await uow.directory.get(request.teamManagerId) : null;
  const manager = teamManager?.managerId ? await uow.directory.get(teamManager.managerId) : null;
  return manager && manager.active && hasRole(manager, 'service_manager') ? manager : null;
}

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

/** Every refusal is recorded with its reason, in a transaction of its own since the action's rolled back. */
export async function auditRefusal(deps: AppDeps, caller: Caller, requestId: string | null, action: string, error: AppError, now: Date): Promise<void> {
  const repeats = refusalRepeats(deps, JSON.stringify([caller.person.id, requestId, action, error.message]), now);
  if (repeats === 'suppress') return;
  await deps.store.transaction(async (uow) => {
    const request = requestId && UUID.test(requestId) ? await uow.requests.get(requestId) : null;
    if (requestId && !request) return;
    await uow.audit.append({
      at: now.toISOString(),
      actorId: caller.person.id,
      actorRole: 'refused',
      action: `refused:${action}`,
      requestId: request?.id ?? null,
      fromState: request?.state ?? null,
      toState: request?.state ?? null,
      reason: error.message,
      detail: { code: error.code, ...(error.rule ? { rule: error.rule } : {}), ...(repeats > 0 ? { repeatedInLastMinute: repeats } : {}) },
      httpRequestId: caller.requestId,
    });
  });
}

/** Runs a use case step and audits a refusal under one of the protocol's rules before passing it on. */
export async function auditingRuleRefusals<T>(deps: AppDeps, caller: Caller, requestId: string | null, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.rule) await auditRefusal(deps, caller, requestId, action, error, deps.clock.now());
    throw error;
  }
}
