/** GET /api/retention/requests/{id}: one request's retention — a tombstone too, once disposed of. */
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';
import { describe, loadSummary } from './shared';

export async function viewRetention(deps: AppDeps, caller: Caller, requestId: string) {
  await assertMay(deps, caller, 'view-retention');
  const request = await loadSummary(deps.store.read, requestId);
  return describe(deps, request, await deps.store.read.retention.get(requestId), deps.clock.now());
}
