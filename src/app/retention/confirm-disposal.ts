/**
 * POST /api/retention/requests/{id}/disposal: a service director confirms a service manager's
 * proposal — never their own — to dispose of a request that is due and under no legal hold. In one
 * transaction the request becomes an anonymised tombstone that keeps its figures, its evidence and
 * document rows go, its audit entries are redacted by hash (never removed), and the disposal's own
 * audit entry names each redacted entry with the hash of what it held, so `audit:verify` still
 * passes. The files themselves are removed from the evidence store after the commit.
 */
import { londonDate } from '../../domain/dates';
import { AppError } from '../../domain/errors';
import { DISPOSAL_ACTION, disposalBarrier, retentionView, type DisposalRecord } from '../../domain/retention';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';
import { removeDisposedFiles } from './remove-disposed-files';
import { auditRefusal, describe, loadSummary, retentionSettings } from './shared';

export async function confirmDisposal(deps: AppDeps, caller: Caller, requestId: string) {
  await assertMay(deps, caller, 'confirm-disposal');
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = londonDate(now);
  try {
    await deps.store.transaction(async (uow) => {
      const request = await loadSummary(uow, requestId);
      const record = await uow.retention.getForUpdate(requestId, at);
      const view = retentionView(request, record, retentionSettings(deps), today);
      const barrier = disposalBarrier(view, caller.person.id, today);
      if (barrier || !record.proposal) {
        const twoPeople = record.proposal?.by === caller.person.id && !record.legalHold && !record.disposal;
        throw new AppError(twoPeople ? 'forbidden' : 'invalid_state', barrier ?? 'A service manager must propose the disposal first.', undefined, twoPeople ? 'two_person_disposal' : 'retention');
      }
      const { redacted, files } = await uow.retention.dispose(requestId, at);
      const disposal: DisposalRecord = { proposedBy: record.proposal.by, proposedAt: record.proposal.at, confirmedBy: caller.person.id, confirmedAt: at };
      await uow.retention.put({ ...record, disposal, filesToRemove: files }, at);
      // Every card already posted about it is replaced by one that says only that it was disposed of.
      await uow.outbox.add([{ requestId, recipientId: null, kind: 'request_disposed', payload: { reference: request.reference, disposedAt: at } }]);
      await uow.audit.append({
        at,
        actorId: caller.person.id,
        actorRole: 'service_director',
        action: DISPOSAL_ACTION,
        requestId,
        fromState: null,
        toState: null,
        reason: null,
        detail: { reference: request.reference, retainUntil: view.retainUntil, proposedBy: disposal.proposedBy, proposedAt: disposal.proposedAt, files: files.length, redacted },
        httpRequestId: caller.requestId,
      });
    });
  } catch (error) {
    if (error instanceof AppError && (error.code === 'invalid_state' || error.code === 'forbidden')) {
      await auditRefusal(deps, caller, requestId, 'confirm-disposal', error);
    }
    throw error;
  }
  await removeDisposedFiles(deps, requestId);
  const request = await loadSummary(deps.store.read, requestId);
  return describe(deps, request, await deps.store.read.retention.get(requestId), deps.clock.now());
}
