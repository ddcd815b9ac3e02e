/**
 * What the outbox dispatcher needs from whoever delivers notifications (the Teams bot).
 * The dispatcher knows nothing of Teams; the bot knows nothing of retries.
 */
import type { OutboxMessage } from '../app/ports';

export type DeliveryResult =
  /** Delivered now. */
  | { status: 'sent' }
  /** Nothing to deliver, or already delivered by an earlier attempt (the sender is idempotent). */
  | { status: 'skipped'; reason: string };

export interface NotificationSender {
  /**
   * Delivers one outbox message. Must be idempotent per message id: an attempt that follows a
   * crash between delivery and markSent must not deliver a second copy. Throws
   * PermanentDeliveryError when retrying cannot help; any other error is retried.
   */
  deliver(message: OutboxMessage): Promise<DeliveryResult>;
}

/** A failure no retry can fix (e.g. the recipient does not exist): the message is marked failed at once. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
