/**
 * Expands the card templates in this folder with adaptivecards-templating. Templates hold the
 * layout; builders compute plain data. User text only ever goes into TextRun elements, which
 * Adaptive Cards never parse as markdown, so nothing typed can become a link, a heading or a mention.
 */
import { Template } from 'adaptivecards-templating';
import helpTemplate from './help.json';
import noticeTemplate from './notice.json';
import requestTemplate from './request.json';
import summaryTemplate from './summary.json';

export type AdaptiveCard = { type: 'AdaptiveCard'; version: string } & Record<string, unknown>;

/**
 * Text for the one place a card shows typed text outside a TextRun: a choice's title, which
 * renderers draw as a markdown TextBlock (adaptivecards' useMarkdownInRadioButtonAndCheckbox is on
 * by default). Every character markdown gives a meaning is escaped with a backslash (CommonMark
 * §2.4), so a name such as "[x](https://…)" stays text rather than becoming a link.
 */
export function inertMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

const TEMPLATES = {
  request: requestTemplate,
  summary: summaryTemplate,
  help: helpTemplate,
  notice: noticeTemplate,
} as const;
export type CardTemplateName = keyof typeof TEMPLATES;

// Preparing a template costs several milliseconds; expanding a prepared one, a fraction of that.
const prepared = new Map<CardTemplateName, Template>();

export function renderCard(name: CardTemplateName, data: object): AdaptiveCard {
  let template = prepared.get(name);
  if (!template) {
    template = new Template(TEMPLATES[name]);
    prepared.set(name, template);
  }
  const expanded: unknown = template.expand({ $root: data });
  if (typeof expanded !== 'object' || expanded === null || (expanded as { type?: unknown }).type !== 'AdaptiveCard') {
    throw new Error(`The ${name} card template did not expand to an Adaptive Card.`);
  }
  return expanded as AdaptiveCard;
}

/** Keeps long user text short on a card; the tab has the rest. */
export function clip(text: string | null | undefined, max: number): { text: string; clipped: boolean } {
  const value = (text ?? '').trim();
  if (value.length <= max) return { text: value, clipped: false };
  return { text: `${value.slice(0, max - 1).trimEnd()}…`, clipped: true };
}
