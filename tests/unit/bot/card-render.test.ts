/**
 * @jest-environment jsdom
 *
 * Cards rendered by the adaptivecards renderer (as the chat preview does, with markdown turned
 * on as Teams has it): what a user typed appears literally — no link, no bold, no HTML element.
 */
import { readFileSync } from 'node:fs';
import type * as AdaptiveCardsModule from 'adaptivecards';
import { buildRequestCard } from '../../../bot/cards/request-card';
import { HOSTILE, PEOPLE, viewFor, walk } from '../../support/bot-fixtures';

let AdaptiveCards: typeof AdaptiveCardsModule;

beforeAll(() => {
  // jsdom has no innerText, which the renderer uses for TextRuns; in a browser it sets literal text.
  Object.defineProperty(window.HTMLElement.prototype, 'innerText', {
    configurable: true,
    get(this: HTMLElement) {
      return this.textContent;
    },
    set(this: HTMLElement, value: string) {
      this.textContent = value;
    },
  });
  // The browser bundle the preview page loads, run the way a <script> tag runs it.
  const bundle = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
  new Function(bundle).call(window);
  AdaptiveCards = (window as unknown as { AdaptiveCards: typeof AdaptiveCardsModule }).AdaptiveCards;

  // A markdown processor as eager as Teams': **bold**, _italic_ and [links](…) would become HTML.
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = text
      // Backslash escapes first, as CommonMark reads them: the character stands for itself.
      .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, (_, c: string) => `&#${c.charCodeAt(0)};`)
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/\[(.+?)\]\((.+?)\)/g, '<a href="$2">$1</a>');
    result.didProcess = true;
  };
});

it('shows hostile user text as plain text in every part of the card', async () => {
  const [, submitted] = walk(true);
  if (!submitted) throw new Error('no submitted request');
  const json = buildRequestCard({ view: await viewFor(submitted, PEOPLE.tm), purpose: 'agree_request', viewerTeamsId: '29:tm', accessWorkers: [], tabUrl: 'https://smc.example.gov.uk/', notice: HOSTILE });
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(json);
  const element = card.render();
  if (!element) throw new Error('the card did not render');
  document.body.appendChild(element);
  const text = element.textContent ?? '';
  expect(text).toContain('**bold**');
  expect(text).toContain('[click](https://evil.example)');
  expect(text).toContain('<b>html</b>');
  expect(text).toContain('<at>Boss</at>');
  expect(element.querySelector('a[href*="evil.example"]')).toBeNull();
  expect(element.querySelector('b')).toBeNull();
  expect([...element.querySelectorAll('strong')].map((s) => s.textContent)).not.toContain('bold');
  // The renderer itself is live: text written in the template does go through markdown.
  expect(text).toContain('The concern');
});

it('shows a typed name literally in the director’s choice of people in scope, which renderers draw as markdown', async () => {
  const agreed = walk(false).find((r) => r.state === 'awaiting_service_director');
  if (!agreed) throw new Error('no request waits for the director');
  const [first, ...rest] = agreed.form.subjects;
  if (!first) throw new Error('no subject');
  const hostile = { ...agreed, form: { ...agreed.form, subjects: [{ ...first, name: 'Jane **Doe** [x](https://evil.example)' }, ...rest] } };
  const json = buildRequestCard({ view: await viewFor(hostile, PEOPLE.sd), purpose: 'authorise_request', viewerTeamsId: '29:sd', accessWorkers: [], tabUrl: 'https://smc.example.gov.uk/' });
  expect(JSON.stringify(json)).toContain('Input.ChoiceSet');
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(json);
  const element = card.render();
  if (!element) throw new Error('the card did not render');
  document.body.appendChild(element);
  // Before, the checkbox's label held a live link and bold text.
  expect(element.querySelector('a[href*="evil.example"]')).toBeNull();
  expect([...element.querySelectorAll('strong')].map((s) => s.textContent)).not.toContain('Doe');
  expect(element.textContent).toContain('Jane **Doe** [x](https://evil.example) — Service user');
});
