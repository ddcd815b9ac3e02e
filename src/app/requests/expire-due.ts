/**
 * Time-based changes nobody acts on: an unused authorisation expires, an unreviewed monitoring
 * authorisation lapses. Run by a periodic sweep and before any action or read of a request, so a
 * lapsed authorisation is never used.
 */
import { dueExpiry, expire } from '../../domain/workflow';
import type { AppDeps } from '../deps';
import { recordOutcome } from './shared';

export async function expireIfDue(deps: AppDeps, requestId: string): Promise<boolean> {
  const now = deps.clock.now();
  const peek = await deps.store.read.requests.get(requestId);
  if (!peek || !dueExpiry(peek, now)) return false;
  return deps.store.transaction(async (uow) => {
    const request = await uow.requests.getForUpdate(requestId);
    const due = request ? dueExpiry(request, now) : null;
    if (!request || !due) return false;
    await recordOutcome(uow, request, expire(request, now, due.reason, (await uow.evidence.listForRequest(request.id)).length > 0), 'system', null);
    return true;
  });
}

/** Sweeps every live authorisation; returns how many expired. */
export async function expireDueRequests(deps: AppDeps): Promise<number> {
  const live = await deps.store.read.requests.listWithLiveAuthorisation();
  let expired = 0;
  for (const request of live) {
    if (await expireIfDue(deps, request.id)) expired += 1;
  }
  return expired;
}
