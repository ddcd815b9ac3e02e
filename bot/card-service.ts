/**
 * Renders a request's card for one person from the same use cases the API uses, so a card
 * never shows a button the API would refuse. Someone who can no longer open the request (an
 * access worker whose colleague claimed it) but was sent a card about it still gets the outcome
 * on their copy, and nothing else.
 */
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../src/app/deps';
import type { Caller } from '../src/app/ports';
import { withStandingIn } from '../src/app/deputies/standing-in';
import { getRequest } from '../src/app/requests/get-request';
import { UUID } from '../src/app/gate';
import { toView, type RequestView } from '../src/app/requests/view';
import { londonDate } from '../src/domain/dates';
import { AppError } from '../src/domain/errors';
import { can } from '../src/domain/policy';
import type { Person } from '../src/domain/roles';
import { buildRequestCard, isTeamsLink, requestUrl, type CardPurpose } from './cards/request-card';
import type { AdaptiveCard } from './cards/render';
import { buildNoticeCard } from './cards/summary-card';
import { cardDate } from './cards/card-dates';
import type { ConversationStore } from '../src/notify/ports';

export interface CardServiceOptions {
  deps: AppDeps;
  conversations: ConversationStore;
  tabUrl: string;
}

export class CardService {
  constructor(private readonly options: CardServiceOptions) {}

  /** The person as a caller of the use cases, with the team managers they stand in for today. */
  async callerFor(person: Person, activityId?: string | null): Promise<Caller> {
    const { deps } = this.options;
    return { person: await withStandingIn(deps.store.read, person, deps.clock.now()), requestId: activityId || `bot-${randomUUID()}` };
  }

  /**
   * The current card for this person, with an optional explanation on top. Someone who was sent a
   * card about the request but may no longer open it gets its outcome, and no refusal is written
   * for them: refreshing their copy is the bot's doing, not an attempt of theirs to open it.
   */
  async render(person: Person, requestId: string, purpose: CardPurpose, notice: string | null = null, teamsUserId: string | null = null): Promise<AdaptiveCard> {
    const { deps } = this.options;
    const caller = await this.callerFor(person);
    const request = UUID.test(requestId) ? await deps.store.read.requests.get(requestId) : null;
    const hadCard = async () => (await this.options.conversations.cardsForRequest(requestId)).some((c) => c.personId === person.id);
    if (request && !can(caller.person, 'view', request, deps.clock.now()).ok && (await hadCard())) {
      const view = await toView(request, person, deps.clock.now(), deps.directory, deps.settings.protocol);
      return this.cardFor(person, view, purpose, notice, true, teamsUserId);
    }
    let view: RequestView;
    let statusOnly = false;
    try {
      view = await getRequest(deps, caller, requestId);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'not_found' || !UUID.test(requestId)) throw error;
      // Disposed of or gone meanwhile: only someone who was sent a card about it learns how it ended.
      if (!(await hadCard())) throw error;
      const current = await deps.store.read.requests.get(requestId);
      if (!current) throw error;
      view = await toView(current, person, deps.clock.now(), deps.directory, deps.settings.protocol);
      statusOnly = true;
    }
    return this.cardFor(person, view, purpose, notice, statusOnly, teamsUserId);
  }

  /**
   * What every copy of a disposed request's card becomes: its reference and that it was disposed
   * of, nothing of what it held (the chat history otherwise keeps names, the case and the concern).
   */
  disposedCard(reference: string, at: string): AdaptiveCard {
    return buildNoticeCard(
      `${reference}: disposed of`,
      `This social media check was disposed of on ${cardDate(at)} under the council's retention schedule. Nothing of it is kept in Social Media Checks, and this card no longer shows what it held.`,
      this.options.tabUrl,
    );
  }

  async cardFor(person: Person, view: RequestView, purpose: CardPurpose, notice: string | null, statusOnly = false, teamsUserId: string | null = null): Promise<AdaptiveCard> {
    const viewerTeamsId = teamsUserId ?? (await this.options.conversations.find(person.aadObjectId))?.teamsUserId ?? null;
    return buildRequestCard({
      view,
      purpose,
      viewerTeamsId,
      accessWorkers: !statusOnly && view.allowedActions.some((a) => a.action === 'authorise') ? await this.eligibleAccessWorkers(view, person) : [],
      tabUrl: this.options.tabUrl,
      notice,
      statusOnly,
      documentsUrl: await this.documentsUrl(view),
    });
  }

  /** The filed log in SharePoint when it is there, else the request's documents in the tab. */
  private async documentsUrl(view: RequestView): Promise<string | null> {
    if (!['finalised', 'shared', 'closed', 'cancelled', 'expired'].includes(view.state)) return null;
    const documents = await this.options.deps.store.read.documents.listForRequest(view.id);
    if (documents.length === 0) return null;
    const log = documents.find((d) => d.kind === 'investigation_log');
    if (log?.webUrl) return log.webUrl;
    const link = requestUrl(this.options.tabUrl, view.id);
    return isTeamsLink(link) ? link : `${link}#documents`;
  }

  /** Access workers the director may choose: active, still authorised, playing no other part. */
  private async eligibleAccessWorkers(view: RequestView, director: Person): Promise<{ id: string; displayName: string }[]> {
    const today = londonDate(this.options.deps.clock.now());
    const taken = new Set([view.originatingWorkerId, view.teamManagerId, director.id].filter(Boolean));
    const workers = await this.options.deps.directory.withRole('access_worker');
    return workers
      .filter((w) => w.active && !taken.has(w.id) && (!w.accessWorkerAuthorisedUntil || w.accessWorkerAuthorisedUntil >= today))
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .map((w) => ({ id: w.id, displayName: w.displayName }));
  }
}
