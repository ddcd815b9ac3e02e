/**
 * The Teams activity handler: remembers each person's personal conversation when they install
 * the app, answers the chat commands, and turns Action.Execute invokes into the same use cases
 * the API calls, answering with the refreshed card. Refusals, stale cards and repeated invokes
 * come back as the current card with a short explanation — never a second transition.
 */
import { CardFactory, TeamsActivityHandler, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AppDeps } from '../src/app/deps';
import { listRequests } from '../src/app/requests/list-requests';
import { takeAction } from '../src/app/requests/take-action';
import { AppError } from '../src/domain/errors';
import type { Person } from '../src/domain/roles';
import type { CardService } from './card-service';
import { actionBody } from './card-actions';
import { CARD_ACTIONS, type CardAction } from './cards/request-card';
import type { AdaptiveCard } from './cards/render';
import { buildHelpCard, buildNoticeCard, buildSummaryCard } from './cards/summary-card';
import type { ConversationStore } from '../src/notify/ports';

export interface TeamsBotOptions {
  deps: AppDeps;
  conversations: ConversationStore;
  cards: CardService;
  tabUrl: string;
  /** Records the cards the bot posts so every copy can be updated later. */
  onCardPosted: (card: { requestId: string; person: Person; context: TurnContext; activityId: string; kind: string }) => Promise<void>;
}

const STALE_NOTICE = 'This card was out of date, so nothing was changed. It now shows the request as it stands.';

function isCardAction(verb: string): verb is CardAction {
  return (CARD_ACTIONS as readonly string[]).includes(verb);
}

export function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

export class SmcTeamsBot extends TeamsActivityHandler {
  constructor(private readonly options: TeamsBotOptions) {
    super();
    this.onInstallationUpdateAdd(async (context, next) => {
      const person = await this.remember(context);
      await this.welcome(context, person);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const aad = context.activity.from?.aadObjectId;
      if (aad && context.activity.conversation?.conversationType === 'personal') {
        await this.options.conversations.markUninstalled(aad, this.options.deps.clock.now());
      }
      await next();
    });
    // Teams also sends conversationUpdate on install; it refreshes the reference without a second welcome.
    this.onMembersAdded(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      const person = await this.remember(context);
      await this.command(context, person);
      await next();
    });
  }

  /** The active person speaking, matched to the directory by Entra object id. */
  private async personOf(context: TurnContext): Promise<Person | null> {
    const aad = context.activity.from?.aadObjectId;
    const person = aad ? await this.options.deps.directory.byAadObjectId(aad) : null;
    return person && person.active ? person : null;
  }

  /** Stores the personal conversation of the person speaking, keyed by Entra object id. */
  private async remember(context: TurnContext): Promise<Person | null> {
    const { activity } = context;
    const aad = activity.from?.aadObjectId;
    if (!aad) return null;
    if (activity.conversation?.conversationType === 'personal' && activity.serviceUrl && activity.recipient?.id) {
      await this.options.conversations.save(
        {
          aadObjectId: aad,
          teamsUserId: activity.from.id,
          conversationId: activity.conversation.id,
          serviceUrl: activity.serviceUrl,
          channelId: activity.channelId,
          tenantId: activity.conversation.tenantId ?? null,
          botId: activity.recipient.id,
          botName: activity.recipient.name ?? null,
        },
        this.options.deps.clock.now(),
      );
    }
    return this.personOf(context);
  }

  /** On install: help, then every request already waiting for this person (cards owed while they had no chat with the bot). */
  private async welcome(context: TurnContext, person: Person | null): Promise<void> {
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(buildHelpCard(this.options.tabUrl, !person))] });
    // Request cards go only to a person's own chat, never to a team's channel.
    if (!person || context.activity.conversation?.conversationType !== 'personal') return;
    const waiting = await listRequests(this.options.deps, await this.options.cards.callerFor(person, context.activity.id), { waiting: true });
    // A draft never submitted is the worker's own unfinished writing, not a step anyone waits on;
    // only a returned one (submitted before) is theirs to act on again.
    for (const view of waiting.items.filter((v) => v.state !== 'draft' || v.submittedAt !== null)) {
      const card = await this.options.cards.cardFor(person, view, 'current', null, false, context.activity.from.id);
      const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
      if (sent?.id) await this.options.onCardPosted({ requestId: view.id, person, context, activityId: sent.id, kind: 'current' });
    }
  }

  private async command(context: TurnContext, person: Person | null): Promise<void> {
    const said = (context.activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '').trim().toLowerCase();
    // Lists of requests are answered only in personal chat: a channel would show them to the whole team.
    const personal = context.activity.conversation?.conversationType === 'personal';
    const card = person && personal ? await this.commandCard(said, person, context.activity.id) : buildHelpCard(this.options.tabUrl, !person);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  }

  private async commandCard(said: string, person: Person, activityId: string | undefined): Promise<AdaptiveCard> {
    const caller = await this.options.cards.callerFor(person, activityId);
    if (/^(waiting( for me)?|waitingforme|inbox)$/.test(said)) {
      const page = await listRequests(this.options.deps, caller, { waiting: true });
      return buildSummaryCard('Waiting for you', 'Nothing is waiting for your decision.', page.items, this.options.tabUrl, page.counts.waitingForMe);
    }
    if (/^(my requests|myrequests|mine)$/.test(said)) {
      const page = await listRequests(this.options.deps, caller, { mine: true });
      return buildSummaryCard('Your requests', 'You have no requests yet.', page.items, this.options.tabUrl);
    }
    return buildHelpCard(this.options.tabUrl, false);
  }

  /**
   * botbuilder reads `value.action.type` without checking that `value.action` exists, so a
   * malformed invoke would be a 500. It gets the error response Universal Actions define instead,
   * and so does one botbuilder refuses itself (an action type other than Action.Execute), which it
   * answers with HTTP 400: "If the Bot did process an incoming `adaptiveCard/action` Invoke activity
   * … the HTTP response's status code returned by the Bot must be equal to 200", the failure told in
   * the body's `statusCode` with type `application/vnd.microsoft.error` (Universal Action Model,
   * Response format).
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const value = context.activity.value as { action?: unknown } | null | undefined;
    const action = value && typeof value === 'object' && !Array.isArray(value) ? value.action : undefined;
    if (!action || typeof action !== 'object' || Array.isArray(action)) {
      return { status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'The invoke value has no action.' } } };
    }
    // Action.Execute's verb is a string and its data an object (Universal Actions, Action.Execute):
    // anything else is a malformed invoke, not something to put in a message or a number.
    const { verb, data } = action as { verb?: unknown; data?: unknown };
    if ((verb !== undefined && typeof verb !== 'string') || (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data)))) {
      return { status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'The action’s verb must be text and its data an object.' } } };
    }
    const response = await super.onInvokeActivity(context);
    return response.status === 200 ? response : { status: 200, body: response.body };
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    // The conversation was stored on install and is refreshed by messages; a decision only needs the person.
    const person = await this.personOf(context);
    const verb = invokeValue.action?.verb ?? '';
    const data = (invokeValue.action?.data ?? {}) as Record<string, unknown>;
    const { tabUrl } = this.options;
    if (!person) {
      return cardResponse(buildNoticeCard('You are not registered', 'You are not on the council’s register for this service: ask the administrator to add you.', tabUrl));
    }
    if (verb === 'myRequests' || verb === 'waitingForMe') {
      return cardResponse(await this.commandCard(verb === 'myRequests' ? 'my requests' : 'waiting for me', person, context.activity.id));
    }
    const requestId = typeof data.requestId === 'string' ? data.requestId : '';
    const teamsId = context.activity.from.id;
    const current = (notice: string | null) => this.options.cards.render(person, requestId, 'current', notice, teamsId);
    try {
      if (verb === 'refreshCard') return cardResponse(await current(null));
      if (!isCardAction(verb)) return cardResponse(buildNoticeCard('Not done', `This card asked for “${verb}”, which the bot does not know.`, tabUrl));
      const caller = await this.options.cards.callerFor(person, context.activity.id);
      const view = await takeAction(this.options.deps, caller, requestId, verb, actionBody(verb, data));
      return cardResponse(await this.options.cards.cardFor(person, view, 'current', null, false, teamsId));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'not_found') {
        // A colleague took the request first and it left this person's view: show how it ended.
        return cardResponse(await current(STALE_NOTICE).catch(() => buildNoticeCard('Not found', error.message, tabUrl)));
      }
      const notice =
        error.code === 'stale_version'
          ? STALE_NOTICE
          : error.code === 'validation'
            ? `${error.message} ${Object.values(error.fields ?? {}).join(' ')}`.trim()
            : `Not done: ${error.message}`;
      // A refusal about a request this person cannot see has no card of theirs to show it on.
      return cardResponse(await current(notice).catch((shown: unknown) => {
        if (!(shown instanceof AppError)) throw shown;
        return buildNoticeCard('Not done', notice, tabUrl);
      }));
    }
  }
}
