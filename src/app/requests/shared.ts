/** Steps several use cases share: checking the version, finding the case's service manager, and writing an outcome or an event. */
import { AppError } from '../../domain/errors';
import type { InvestigationRequest } from '../../domain/request';
import { hasRole, type Person } from '../../domain/roles';
import { STATE_LABELS } from '../../domain/states';
import type { NotificationIntent, Outcome } from '../../domain/workflow';
import type { Caller, OutboxMessageInput, UnitOfWork } from '../ports';

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
 * and its outbox messages (with the entry, in one statement) — all inside the caller's transaction.
 */
export async function recordOutcome(
  uow: UnitOfWork,
  before: InvestigationRequest,
  outcome: Outcome,
  actor: { id: string } | 'system',
  httpRequestId: string | null,
): Promise<void> {
  const written = await uow.requests.update(outcome.request, before);
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
  await uow.audit.append(
    {
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
    },
    messages,
  );
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

/**
 * The service manager for the case's team: the team manager's own manager in the directory, when
 * they hold the service-manager role.
 */
export async function caseServiceManager(uow: Pick<UnitOfWork, 'directory'>, request: InvestigationRequest): Promise<Person | null> {
  const teamManager = request.teamManagerId ? await uow.directory.get(request.teamManagerId) : null;
  const manager = teamManager?.managerId ? await uow.directory.get(teamManager.managerId) : null;
  return manager && manager.active && hasRole(manager, 'service_manager') ? manager : null;
}
