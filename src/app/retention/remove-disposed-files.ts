/**
 * Removes a disposed request's evidence and documents from the evidence store (local disk or
 * SharePoint). It runs after the disposal commits, so a failure never leaves rows pointing at
 * missing files; what could not be removed stays listed on the request's retention record and in the
 * review list, and is tried again on the next run (the server's periodic work, or on demand).
 */
import type { AppDeps } from '../deps';

export async function removeDisposedFiles(deps: AppDeps, requestId: string): Promise<{ removed: number; remaining: number }> {
  const record = await deps.store.read.retention.get(requestId);
  if (record.filesToRemove.length === 0) return { removed: 0, remaining: 0 };
  const remaining: string[] = [];
  for (const key of record.filesToRemove) {
    try {
      await deps.evidence.remove(key);
    } catch {
      remaining.push(key);
    }
  }
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (uow) => {
    const current = await uow.retention.getForUpdate(requestId, at);
    await uow.retention.put({ ...current, filesToRemove: current.filesToRemove.filter((k) => remaining.includes(k)) }, at);
    await uow.audit.append({
      at,
      actorId: 'system',
      actorRole: 'system',
      action: 'remove_disposed_files',
      requestId,
      fromState: null,
      toState: null,
      reason: null,
      detail: { removed: record.filesToRemove.length - remaining.length, remaining: remaining.length },
      httpRequestId: null,
    });
  });
  return { removed: record.filesToRemove.length - remaining.length, remaining: remaining.length };
}

/** Every disposed request with files still to remove, tried again. */
export async function removeAllDisposedFiles(deps: AppDeps): Promise<number> {
  const pending = (await deps.store.read.retention.candidates(new Date(0).toISOString())).filter((c) => c.record.filesToRemove.length > 0);
  let remaining = 0;
  for (const { request } of pending) remaining += (await removeDisposedFiles(deps, request.id)).remaining;
  return remaining;
}
