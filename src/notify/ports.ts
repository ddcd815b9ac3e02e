/**
 * What the outbox dispatcher needs from whoever delivers notifications (the Teams bot), and what
 * the bot needs to deliver them: where each person's conversation is (the store) and a way to
 * install the app for someone who has not (Graph). The dispatcher knows nothing of Teams; the bot
 * knows nothing of retries, SQL or Graph.
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
   * crash between delivery and recording its outcome must not deliver a second copy. Throws
   * PermanentDeliveryError when retrying cannot help; any other error is retried. `signal` is
   * aborted when the dispatcher has given up on this attempt: start no further call after it.
   */
  deliver(message: OutboxMessage, signal?: AbortSignal): Promise<DeliveryResult>;
}

/** A failure no retry can fix (e.g. the recipient does not exist): the message is marked failed at once. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** The bot's record of each person's personal conversation and of the cards it posted (src/store). */
export interface ConversationRecord {
  aadObjectId: string;
  teamsUserId: string;
  conversationId: string;
  serviceUrl: string;
  channelId: string;
  tenantId: string | null;
  botId: string;
  botName: string | null;
}

export interface CardActivityRecord {
  requestId: string;
  personId: string;
  conversationId: string;
  serviceUrl: string;
  activityId: string;
  outboxMessageId: string | null;
  kind: string;
}

export interface DeliveryLookup {
  earlier: CardActivityRecord | null;
  conversation: ConversationRecord | null;
  cardsForRequest: CardActivityRecord[];
}

export interface ConversationStore {
  save(record: ConversationRecord, at: Date): Promise<void>;
  markUninstalled(aadObjectId: string, at: Date): Promise<void>;
  /** The person's personal conversation, or null if they have not installed the app (or removed it). */
  find(aadObjectId: string): Promise<ConversationRecord | null>;
  recordCard(card: CardActivityRecord, at: Date): Promise<void>;
  /**
   * What posting a message's card needs, read at once: the card an earlier attempt posted for it,
   * the person's conversation, and every card posted about the request, in the order posted.
   */
  forDelivery(outboxMessageId: string, aadObjectId: string, requestId: string): Promise<DeliveryLookup>;
  cardsForRequest(requestId: string): Promise<CardActivityRecord[]>;
  touchCard(conversationId: string, activityId: string, at: Date): Promise<void>;
  /**
   * The person's notifications about the request that failed because they had no chat with the bot,
   * settled as delivered: on install the bot has just posted the request's current card to them.
   */
  settleOwedCards(requestId: string, personId: string, at: Date): Promise<void>;
}

/**
 * Installs the app for someone who has not installed it yet (src/graph). When Teams finishes, it
 * sends the bot an installationUpdate, and the cards owed to that person are delivered then.
 */
export interface AppInstaller {
  install(aadObjectId: string): Promise<'requested' | 'already_installed'>;
}
