/** The answers to the chat commands: a short list of requests, and help. */
import type { RequestView } from '../../src/app/requests/view';
import { cardDate, NOT_GIVEN } from './card-dates';
import { requestUrl } from './request-card';
import { renderCard, type AdaptiveCard } from './render';

const MAX_ITEMS = 15;

/** `total` is how many there are in all when `views` is only the first page of them. */
export function buildSummaryCard(title: string, emptyText: string, views: RequestView[], tabUrl: string, total: number = views.length): AdaptiveCard {
  const items = views.slice(0, MAX_ITEMS).map((v) => ({
    reference: v.reference,
    stateLabel: v.stateLabel,
    detail: `Case ${v.caseReference || NOT_GIVEN} · needed by ${cardDate(v.neededBy)} · ${v.nextStep}`,
    url: requestUrl(tabUrl, v.id),
  }));
  return renderCard('summary', { title, emptyText, items, more: Math.max(0, total - items.length), tabUrl });
}

export function buildHelpCard(tabUrl: string, notRegistered: boolean): AdaptiveCard {
  return renderCard('help', { tabUrl, notRegistered });
}

export function buildNoticeCard(title: string, text: string, tabUrl: string): AdaptiveCard {
  return renderCard('notice', { title, text, tabUrl });
}
