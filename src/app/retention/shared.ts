/** What the retention use cases share: the settings in force, and one request's retention as a view. */
import { londonDate } from '../../domain/dates';
import { notFound, type AppError } from '../../domain/errors';
import type { PersonAbility } from '../../domain/policy';
import { DEFAULT_RETENTION_SETTINGS, retentionView, type RetentionRecord, type RetentionSettings } from '../../domain/retention';
import type { AppDeps } from '../deps';
import { auditRefusalOnce } from '../refusal-window';
import type { Caller, RetentionRequestSummary, UnitOfWork } from '../ports';

export function retentionSettings(deps: AppDeps): RetentionSettings {
  return deps.settings.retention ?? DEFAULT_RETENTION_SETTINGS;
}

export function describe(deps: AppDeps, request: RetentionRequestSummary, record: RetentionRecord, now: Date) {
  return {
    request,
    retention: retentionView(request, record, retentionSettings(deps), londonDate(now)),
    filesToRemove: record.filesToRemove.length,
  };
}

export async function loadSummary(uow: UnitOfWork, requestId: string): Promise<RetentionRequestSummary> {
  const request = await uow.retention.request(requestId);
  if (!request) throw notFound('No such request.');
  return request;
}

/** The part the caller takes in a retention decision, for the audit trail. */
export function actorRole(caller: Caller): string {
  const held = caller.person.roles.filter((r) => r === 'service_manager' || r === 'service_director');
  return held.join(',') || 'none';
}

/**
 * Writes a refusal by the retention rules to the audit trail, as the gate writes its own (the
 * decision's transaction was rolled back), identical ones once a minute with a count
 * (refusal-window.ts). Kept here rather than in the gate because a disposed request is no longer
 * one the gate can load.
 */
export async function auditRefusal(deps: AppDeps, caller: Caller, requestId: string, ability: PersonAbility, error: AppError): Promise<void> {
  await auditRefusalOnce(deps, [caller.person.id, requestId, ability, error.message], (uow, at, repeats) =>
    uow.audit.append({
      at,
      actorId: caller.person.id,
      actorRole: 'refused',
      action: `refused:${ability}`,
      requestId,
      fromState: null,
      toState: null,
      reason: error.message,
      detail: { code: error.code, ...(error.rule ? { rule: error.rule } : {}), ...repeats },
      httpRequestId: caller.requestId,
    }),
  );
}
