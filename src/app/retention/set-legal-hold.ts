/**
 * PUT /api/retention/requests/{id}/hold: a service manager or director places a legal hold (a
 * claim, an inquiry, a complaint), which suspends the schedule, or lifts it. Placing a hold also
 * sets aside a proposal to dispose.
 */
import { parseForm } from '../../domain/forms';
import { invalidState } from '../../domain/errors';
import { legalHoldSchema } from '../../domain/retention';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';
import { actorRole, describe, loadSummary } from './shared';

export async function setLegalHold(deps: AppDeps, caller: Caller, requestId: string, input: unknown) {
  await assertMay(deps, caller, 'place-legal-hold');
  const body = parseForm(legalHoldSchema, input);
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.transaction(async (uow) => {
    const request = await loadSummary(uow, requestId);
    const record = await uow.retention.getForUpdate(requestId, at);
    if (record.disposal) throw invalidState('This request has already been disposed of.');
    if (body.hold && record.legalHold) throw invalidState('A legal hold is already on this request.');
    if (!body.hold && !record.legalHold) throw invalidState('There is no legal hold on this request to lift.');
    const next = body.hold
      ? { ...record, legalHold: { by: caller.person.id, at, reason: body.reason }, proposal: null }
      : { ...record, legalHold: null };
    await uow.retention.put(next, at);
    await uow.audit.append({
      at,
      actorId: caller.person.id,
      actorRole: actorRole(caller),
      action: body.hold ? 'place_legal_hold' : 'lift_legal_hold',
      requestId,
      fromState: null,
      toState: null,
      reason: body.reason,
      detail: body.hold && record.proposal ? { proposalSetAside: record.proposal } : null,
      httpRequestId: caller.requestId,
    });
    return describe(deps, request, next, now);
  });
}
