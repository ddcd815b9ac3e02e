import { forbidden, invalidState, notFound } from '../../domain/errors';
import type { AppDeps } from '../deps';
import { throughGate, UUID } from '../gate';
import type { Caller, OutboxMessage } from '../ports';
import { auditEvent } from './shared';

/** The request's audit trail with names, for the timeline. */
export async function getTimeline(deps: AppDeps, caller: Caller, requestId: string) {
  const entries = await throughGate(deps, caller, 'view', requestId, async (gate) => {
    await gate.load(deps.store.read);
    return deps.store.read.audit.listForRequest(requestId);
  });
  const names = new Map<string, string>();
  for (const entry of entries) {
    if (!names.has(entry.actorId)) {
      const person = entry.actorId === 'system' ? null : await deps.directory.get(entry.actorId);
      names.set(entry.actorId, person?.displayName ?? (entry.actorId === 'system' ? 'System' : entry.actorId));
    }
  }
  // Entries not yet linked into the chain (seq and hash null) are shown too: they are committed.
  return entries.map((e) => ({
    id: e.id,
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

/**
 * What the person who can do something about a failed notification should do. Delivery errors are
 * written by the bot's sender (bot/sender.ts); anything else is a fault on Teams' side.
 */
export function deliveryAdvice(status: OutboxMessage['status'], lastError: string | null, recipientName: string): string | null {
  if (status === 'sent') return null;
  if (status === 'pending') return lastError ? 'Teams did not take it yet: it is being tried again automatically.' : null;
  if (lastError && /has not installed/.test(lastError)) {
    return `${recipientName} has not installed the app: ask them to open Social Media Checks in Teams once, then retry.`;
  }
  if (lastError && /No active person/.test(lastError)) {
    return `${recipientName} is not an active person in the directory: ask an administrator to check their roles before you retry.`;
  }
  return 'Teams did not accept it. Retry; if it fails again, tell IT support.';
}

/**
 * On a request, notification delivery is for the person whose step sent it: they can act on a
 * failure. Administrators, who do not see requests, follow every failure on the administration page.
 */
function sentBy(caller: Caller, message: OutboxMessage): boolean {
  return message.payload.actorId === caller.person.id;
}

/** Delivery status of the notifications this caller's steps sent. */
export async function listNotifications(deps: AppDeps, caller: Caller, requestId: string) {
  const messages = await throughGate(deps, caller, 'view', requestId, async (gate) => {
    await gate.load(deps.store.read);
    return deps.store.read.outbox.listForRequest(requestId);
  });
  return Promise.all(
    messages
      .filter((m) => m.recipientId !== null && sentBy(caller, m))
      .map(async (m) => {
        const recipientName = m.recipientId ? ((await deps.directory.get(m.recipientId))?.displayName ?? m.recipientId) : null;
        return {
          id: m.id,
          kind: m.kind,
          recipientId: m.recipientId,
          recipientName,
          status: m.status,
          attempts: m.attempts,
          createdAt: m.createdAt,
          sentAt: m.sentAt,
          lastError: m.lastError,
          advice: deliveryAdvice(m.status, m.lastError, recipientName ?? 'The recipient'),
          canRetry: m.status === 'failed',
        };
      }),
  );
}

/** Sends a failed notification again: its sender, once they have dealt with the cause. */
export async function retryNotification(deps: AppDeps, caller: Caller, requestId: string, notificationId: string): Promise<void> {
  const now = deps.clock.now();
  await throughGate(deps, caller, 'view', requestId, (gate) => deps.store.transaction(async (uow) => {
    const { request } = await gate.load(uow);
    const message = UUID.test(notificationId) ? (await uow.outbox.listForRequest(requestId)).find((m) => m.id === notificationId) : undefined;
    if (!message || message.recipientId === null) throw notFound('No such notification on this request.');
    if (!sentBy(caller, message)) throw forbidden('Only the person whose step sent this notification may retry it.');
    if (message.status !== 'failed') throw invalidState(message.status === 'sent' ? 'This notification was delivered.' : 'This notification is still being tried.');
    await uow.outbox.requeue(message.id, now);
    await auditEvent(uow, caller, request, 'retry_notification', 'sender', now, {
      notificationId: message.id,
      recipientId: message.recipientId,
      kind: message.kind,
    });
  }));
}
