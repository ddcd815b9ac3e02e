/**
 * POST /api/retention/requests/{id}/proposal: a service manager proposes disposing of a request
 * whose retention date has come and which no legal hold keeps. A service director — another
 * person — confirms it (confirm-disposal.ts).
 */
import { londonDate } from '../../domain/dates';
import { AppError } from '../../domain/errors';
import { parseForm } from '../../domain/forms';
import { disposalProposalSchema, retentionView } from '../../domain/retention';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';
import { auditRefusal, describe, loadSummary, retentionSettings } from './shared';

export async function proposeDisposal(deps: AppDeps, caller: Caller, requestId: string, input: unknown) {
  await assertMay(deps, caller, 'propose-disposal');
  const body = parseForm(disposalProposalSchema, input ?? {});
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = londonDate(now);
  try {
    return await deps.store.transaction(async (uow) => {
      const request = await loadSummary(uow, requestId);
      const record = await uow.retention.getForUpdate(requestId, at);
      const view = retentionView(request, record, retentionSettings(deps), today);
      if (view.status === 'disposed') throw new AppError('invalid_state', 'This request has already been disposed of.', undefined, 'retention');
      if (view.status === 'on_hold') throw new AppError('invalid_state', 'A legal hold is on this request: it cannot be proposed for disposal.', undefined, 'legal_hold');
      if (view.status === 'open') throw new AppError('invalid_state', 'This request is still open: it is kept while open.', undefined, 'retention');
      if (view.status === 'kept') throw new AppError('invalid_state', `This request must be kept until ${view.retainUntil ?? ''}.`, undefined, 'retention');
      if (view.status === 'proposed') throw new AppError('invalid_state', 'The disposal of this request is already proposed.', undefined, 'retention');
      const next = { ...record, proposal: { by: caller.person.id, at, note: body.note ?? null } };
      await uow.retention.put(next, at);
      await uow.audit.append({
        at,
        actorId: caller.person.id,
        actorRole: 'service_manager',
        action: 'propose_disposal',
        requestId,
        fromState: null,
        toState: null,
        reason: body.note ?? null,
        detail: { retainUntil: view.retainUntil },
        httpRequestId: caller.requestId,
      });
      return describe(deps, request, next, now);
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_state') await auditRefusal(deps, caller, requestId, 'propose-disposal', error);
    throw error;
  }
}
