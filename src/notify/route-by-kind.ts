/** Sends each outbox message to the sender for its kind: filing documents, or the Teams bot for the rest. */
import type { OutboxMessage } from '../app/ports';
import type { NotificationKind } from '../domain/workflow';
import type { DeliveryResult, NotificationSender } from './ports';

export function routeByKind(routes: Partial<Record<NotificationKind, NotificationSender>>, fallback: NotificationSender): NotificationSender {
  return {
    deliver(message: OutboxMessage, signal?: AbortSignal): Promise<DeliveryResult> {
      return (routes[message.kind] ?? fallback).deliver(message, signal);
    },
  };
}
