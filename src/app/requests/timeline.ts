import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { loadVisible } from './shared';

/** The request's audit trail with names, for the timeline. */
export async function getTimeline(deps: AppDeps, caller: Caller, requestId: string) {
  await loadVisible(deps.store.read, caller, requestId);
  const entries = await deps.store.read.audit.listForRequest(requestId);
  const names = new Map<string, string>();
  for (const entry of entries) {
    if (!names.has(entry.actorId)) {
      const person = entry.actorId === 'system' ? null : await deps.directory.get(entry.actorId);
      names.set(entry.actorId, person?.displayName ?? (entry.actorId === 'system' ? 'System' : entry.actorId));
    }
  }
  return entries.map((e) => ({
    seq: e.seq,
    at: e.at,
    actorId: e.actorId,
    actorName: names.get(e.actorId) ?? e.actorId,
    actorRole: e.actorRole,
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    reason: e.reason,
    detail: e.detail,
    httpRequestId: e.httpRequestId,
    hash: e.hash,
  }));
}

/** Delivery status of the notifications the request owed, for the tab. */
export async function listNotifications(deps: AppDeps, caller: Caller, requestId: string) {
  await loadVisible(deps.store.read, caller, requestId);
  const messages = await deps.store.read.outbox.listForRequest(requestId);
  return Promise.all(
    messages
      .filter((m) => m.recipientId !== null)
      .map(async (m) => ({
        id: m.id,
        kind: m.kind,
        recipientId: m.recipientId,
        recipientName: m.recipientId ? ((await deps.directory.get(m.recipientId))?.displayName ?? m.recipientId) : null,
        status: m.status,
        attempts: m.attempts,
        createdAt: m.createdAt,
        sentAt: m.sentAt,
        lastError: m.lastError,
      })),
  );
}
