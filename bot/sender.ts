/**
 * Delivers outbox messages through the bot: a request card to the person it names, or — for
 * `request_updated` — the current card into every copy already posted about that request.
 * Idempotent per message: the activity posted for a message is recorded with the message id, so a
 * redelivery after a crash updates that card instead of posting a second one.
 */
import { CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { AppDeps } from '../src/app/deps';
import type { OutboxMessage } from '../src/app/ports';
import type { Person } from '../src/domain/roles';
import { PermanentDeliveryError, type AppInstaller, type CardActivityRecord, type ConversationRecord, type ConversationStore, type DeliveryResult, type NotificationSender } from '../src/notify/ports';
import type { CardService } from './card-service';
import { purposeHeadline, type CardPurpose } from './cards/request-card';
import type { AdaptiveCard } from './cards/render';

export interface BotSenderOptions {
  deps: AppDeps;
  /** When configured, installs the app for people who have not (their cards follow on install). */
  installer?: AppInstaller | null;
  adapter: CloudAdapter;
  appId: string | null;
  conversations: ConversationStore;
  cards: CardService;
}

export function referenceFor(c: ConversationRecord): Partial<ConversationReference> {
  return {
    channelId: c.channelId,
    serviceUrl: c.serviceUrl,
    conversation: { id: c.conversationId, conversationType: 'personal', isGroup: false, name: '', ...(c.tenantId ? { tenantId: c.tenantId } : {}) },
    bot: { id: c.botId, name: c.botName ?? '' },
    user: { id: c.teamsUserId, name: '', aadObjectId: c.aadObjectId },
  };
}

/**
 * The record kind of a short text line posted when a person's part in a request changes: their
 * one card for the request is updated in place and this line says what changed, so the chat holds
 * one card per request rather than a copy for every step.
 */
export const STATUS_LINE_KIND = 'status_line';

/** A Bot Connector answer meaning the activity is gone (deleted by the person): nothing left to update. */
function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: unknown }).statusCode;
  return status === 404 || status === 410;
}

export class BotNotificationSender implements NotificationSender {
  constructor(private readonly options: BotSenderOptions) {}

  async deliver(message: OutboxMessage, signal?: AbortSignal): Promise<DeliveryResult> {
    if (!message.requestId) throw new PermanentDeliveryError('The notification names no request.');
    const delivery = new BotDelivery(this.options, signal);
    if (message.kind === 'request_disposed') {
      const reference = typeof message.payload.reference === 'string' ? message.payload.reference : 'A social media check';
      const at = typeof message.payload.disposedAt === 'string' ? message.payload.disposedAt : null;
      return delivery.replaceEveryCopy(message.requestId, this.options.cards.disposedCard(reference, at ?? ''));
    }
    if (message.recipientId === null) return delivery.updateEveryCopy(message.requestId);
    return delivery.postCard(message, message.requestId, message.recipientId);
  }
}

/** One attempt at one message; stops before its next Bot Connector call once the dispatcher has given up on it. */
class BotDelivery {
  constructor(
    private readonly options: BotSenderOptions,
    private readonly signal: AbortSignal | undefined,
  ) {}

  private async person(id: string): Promise<Person> {
    const person = await this.options.deps.directory.get(id);
    if (!person || !person.active) throw new PermanentDeliveryError(`No active person ${id} in the directory.`);
    return person;
  }

  async postCard(message: OutboxMessage, requestId: string, recipientId: string): Promise<DeliveryResult> {
    const { conversations, cards } = this.options;
    const person = await this.person(recipientId);
    const { earlier, conversation, cardsForRequest } = await conversations.forDelivery(message.id, person.aadObjectId, requestId);
    if (earlier) {
      if (earlier.kind !== STATUS_LINE_KIND) await this.update(earlier, person, 'current', conversation);
      return { status: 'skipped', reason: 'posted by an earlier attempt; updated instead' };
    }
    if (!conversation) {
      // Shown with the request in the tab (a failed notification); cards owed are sent when the app is installed.
      throw new PermanentDeliveryError(`${person.displayName} has not installed the Social Media Checks app in Teams.${await this.requestInstall(person)}`);
    }
    const purpose = message.kind as CardPurpose;
    const ownCard = cardsForRequest
      .filter((c) => c.personId === person.id && c.conversationId === conversation.conversationId && c.kind !== STATUS_LINE_KIND)
      .at(-1);
    let activityId = '';
    if (ownCard) {
      await this.update(ownCard, person, purpose, conversation);
      const reference = typeof message.payload.reference === 'string' ? message.payload.reference : 'A social media check';
      await this.continue(conversation, async (context) => {
        const sent = await context.sendActivity({ type: 'message', textFormat: 'plain', text: `${reference}: ${purposeHeadline(purpose)}. Its card above shows where it stands.` });
        activityId = sent?.id ?? '';
      });
    } else {
      const card = await cards.render(person, requestId, purpose, null, conversation.teamsUserId);
      await this.continue(conversation, async (context) => {
        const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
        activityId = sent?.id ?? '';
      });
    }
    if (!activityId) throw new Error('The Bot Connector did not return an activity id.');
    await conversations.recordCard(
      {
        requestId,
        personId: person.id,
        conversationId: conversation.conversationId,
        serviceUrl: conversation.serviceUrl,
        activityId,
        outboxMessageId: message.id,
        kind: ownCard ? STATUS_LINE_KIND : message.kind,
      },
      this.options.deps.clock.now(),
    );
    return { status: 'sent' };
  }

  /** Asks Graph to install the app for the person; says what happened, for the failed notification. */
  private async requestInstall(person: Person): Promise<string> {
    const installer = this.options.installer;
    if (!installer) return '';
    try {
      const outcome = await installer.install(person.aadObjectId);
      return outcome === 'requested'
        ? ' Installation was requested through Microsoft Graph; their cards will arrive when Teams finishes it.'
        : ' Microsoft Graph reports the app installed; their cards will arrive when Teams tells the bot.';
    } catch (error) {
      return ` Installing it for them failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async updateEveryCopy(requestId: string): Promise<DeliveryResult> {
    const copies = (await this.options.conversations.cardsForRequest(requestId)).filter((c) => c.kind !== STATUS_LINE_KIND);
    if (copies.length === 0) return { status: 'skipped', reason: 'no card posted about this request' };
    const people = new Map<string, Person | null>();
    for (const copy of copies) {
      if (!people.has(copy.personId)) people.set(copy.personId, await this.options.deps.directory.get(copy.personId));
      const person = people.get(copy.personId);
      if (person) await this.update(copy, person);
    }
    return { status: 'sent' };
  }

  /** Puts `card` into every card posted about the request, whoever it was for. */
  async replaceEveryCopy(requestId: string, card: AdaptiveCard): Promise<DeliveryResult> {
    const copies = (await this.options.conversations.cardsForRequest(requestId)).filter((c) => c.kind !== STATUS_LINE_KIND);
    if (copies.length === 0) return { status: 'skipped', reason: 'no card posted about this request' };
    for (const copy of copies) {
      const person = await this.options.deps.directory.get(copy.personId);
      const conversation = person ? await this.options.conversations.find(person.aadObjectId) : null;
      if (!conversation || conversation.conversationId !== copy.conversationId) continue;
      try {
        await this.continue(conversation, async (context) => {
          await context.updateActivity({ id: copy.activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
        });
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    }
    return { status: 'sent' };
  }

  /** `known`: the person's conversation when the caller has just read it. */
  private async update(copy: CardActivityRecord, person: Person, purpose: CardPurpose = 'current', known?: ConversationRecord | null): Promise<void> {
    const conversation = known === undefined ? await this.options.conversations.find(person.aadObjectId) : known;
    // An uninstalled app cannot update its old messages; nothing more to do for this copy.
    if (!conversation || conversation.conversationId !== copy.conversationId) return;
    const card = await this.options.cards.render(person, copy.requestId, purpose, null, conversation.teamsUserId);
    try {
      await this.continue(conversation, async (context) => {
        await context.updateActivity({ id: copy.activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
      });
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
    await this.options.conversations.touchCard(copy.conversationId, copy.activityId, this.options.deps.clock.now());
  }

  private continue(conversation: ConversationRecord, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    this.signal?.throwIfAborted();
    return this.options.adapter.continueConversationAsync(this.options.appId ?? '', referenceFor(conversation), logic);
  }
}
