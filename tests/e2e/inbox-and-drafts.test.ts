/**
 * The inbox and drafts as people use them (issue 12), in headless Chromium:
 * - a team manager who is also a social worker lands on "Waiting for me", with the count in the
 *   navigation; finds a request by a child's name and by a family name, and narrows the list by the
 *   days raised between (typed dd/mm/yyyy) and by state, all asked of the server;
 * - the originating worker sees a request whose next step is late marked "Overdue" (feedback is made
 *   due as soon as the log is shared, so nothing has to wait for days to pass);
 * - a draft is saved on the server as it is written, listed under "My requests", reopened from there
 *   and discarded, after which it is gone for good.
 * Each page is checked with axe in the light, dark and high-contrast themes, and at 360 px.
 */
import type { Browser, Page } from 'playwright-core';
import { formatDate } from '../../src/domain/dates';
import { type AxeProblem, ensureTabBuilt, launchBrowser, type RunningServer, screenshotPath, seriousViolations, signInAs, startServer } from './support';
import { withSupervisionNote } from '../support/action-body';

jest.setTimeout(600_000);

let server: RunningServer;
let browser: Browser;
const tokens: Record<string, string> = {};
const references: Record<'riley' | 'casey' | 'shared', string> = { riley: '', casey: '', shared: '' };

async function api(method: string, path: string, person: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[person] ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}
async function act(id: string, person: string, action: string, body: Record<string, unknown> = {}): Promise<void> {
  const current = await api('GET', `/api/requests/${id}`, person);
  await api('POST', `/api/requests/${id}/actions/${action}`, person, { version: current.version, ...withSupervisionNote(action, body) });
}

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A request from Amelia Hart about one child and one parent, submitted to her team manager. */
async function submitted(caseReference: string, child: string, parent: string): Promise<{ id: string; reference: string; subjectId: string }> {
  const created = await api('POST', '/api/requests', 'amelia.hart', {
    caseReference,
    team: 'Assessment Team North',
    children: [{ name: child, dateOfBirth: '2016-04-12' }],
    concernCategories: ['risky_behaviour'],
    concernDetails: 'Reports of drinking at home.',
    justification: 'Public posts would settle it; home visits have not.',
    subjects: [{ kind: 'service_user', name: parent, relationshipToChild: 'Parent' }],
    period: { from: '2026-06-01', to: today() },
    neededBy: inDays(14),
  });
  const id = created.id as string;
  await act(id, 'amelia.hart', 'submit');
  return { id, reference: created.reference as string, subjectId: (created.subjects as { id: string }[])[0]?.id ?? '' };
}

beforeAll(async () => {
  ensureTabBuilt();
  // Feedback falls due the moment a log is shared, so a shared log with none is overdue at once.
  server = await startServer({ REMINDER_FEEDBACK_DAYS: '0' });
  browser = await launchBrowser();
  for (const id of ['amelia.hart', 'tom.reid', 'sarah.mitchell', 'imran.malik']) {
    const response = await fetch(`${server.baseUrl}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id }) });
    tokens[id] = ((await response.json()) as { token: string }).token;
  }
  const shared = await submitted('CASE-INBOX-3', 'Sam Taylor', 'Chris Taylor');
  await act(shared.id, 'tom.reid', 'agree');
  await act(shared.id, 'sarah.mitchell', 'authorise');
  await act(shared.id, 'imran.malik', 'claim');
  await act(shared.id, 'imran.malik', 'confirm-legitimacy');
  const session = await api('POST', `/api/requests/${shared.id}/search-sessions`, 'imran.malik', { corporateAccount: true });
  await api('POST', `/api/requests/${shared.id}/search-sessions/${session.id as string}/end`, 'imran.malik', {});
  await api('PUT', `/api/requests/${shared.id}/log`, 'imran.malik', { findings: [{ subjectId: shared.subjectId, visibility: 'not_found', summary: 'No public profile found.' }] });
  await act(shared.id, 'imran.malik', 'complete-log');
  await api('PUT', `/api/requests/${shared.id}/log`, 'amelia.hart', {
    assessment: { summary: 'Nothing public to add.', usefulPieces: 0, uniquePieces: 0, contribution: 'little', actionsTaken: 'None.' },
  });
  await act(shared.id, 'amelia.hart', 'finalise');
  await act(shared.id, 'amelia.hart', 'share');
  references.shared = shared.reference;
  // Two decisions waiting for Tom Reid, found apart by a child's name and by a family name.
  references.riley = (await submitted('CASE-INBOX-1', 'Riley Smith', 'Jordan Smith')).reference;
  references.casey = (await submitted('CASE-INBOX-2', 'Casey Brown', 'Morgan Brown')).reference;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const THEMES = ['light', 'dark', 'contrast'] as const;
type Theme = (typeof THEMES)[number];
type Problems = { page: string; violations: AxeProblem[] }[];

async function signIn(person: string, theme: Theme, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${server.baseUrl}/${theme === 'light' ? '' : `?theme=${theme}`}`);
  await signInAs(page, person);
  return page;
}

async function check(page: Page, name: string, problems: Problems, fullPage = true): Promise<void> {
  // Fluent's transitions settle before colours are measured.
  await page.waitForTimeout(300);
  const violations = await seriousViolations(page);
  if (violations.length) problems.push({ page: name, violations });
  // A modal dialog is photographed as seen: a full-page shot of a page held still by it is cut short.
  await page.screenshot({ path: screenshotPath(name), fullPage });
}

const listed = (page: Page) => page.getByRole('list', { name: 'Requests' }).getByRole('link', { name: /^SMC-/ });
const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function search(page: Page, words: string, expected: string[]): Promise<void> {
  await page.getByRole('textbox', { name: 'Search' }).fill(words);
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('ul[aria-label="Requests"] a')].map((a) => a.textContent).sort()) === JSON.stringify(want),
    [...expected].sort(),
  );
}

describe('the inbox', () => {
  test.each(THEMES)('a team manager lands on "Waiting for me" with the count, and finds a request by a child or family name; the worker sees what is overdue (%s)', async (theme) => {
    const problems: Problems = [];
    let page = await signIn('Tom Reid', theme);
    const waiting = page.getByRole('tab', { name: 'Waiting for me (2)' });
    await waiting.waitFor();
    expect(await waiting.getAttribute('aria-selected')).toBe('true');
    await page.getByRole('navigation', { name: 'Main' }).getByText('2 waiting for you').waitFor();
    await search(page, '', [references.riley, references.casey]);
    await search(page, 'Riley', [references.riley]);
    await search(page, 'brown', [references.casey]);
    await check(page, `inbox-${theme}-01-waiting-searched`, problems);
    await page.context().close();

    page = await signIn('Amelia Hart', theme);
    await page.getByRole('tab', { name: 'My requests' }).click();
    const late = page.getByRole('listitem').filter({ hasText: references.shared });
    await late.getByText('Overdue').waitFor();
    expect(await page.getByRole('listitem').filter({ hasText: 'Overdue' }).count()).toBe(1);
    await check(page, `inbox-${theme}-02-overdue`, problems);
    await page.context().close();
    expect(problems).toEqual([]);
  });

  test('the days raised between, typed dd/mm/yyyy, and the state narrow the list; an impossible date is refused in the same format', async () => {
    const page = await signIn('Amelia Hart', 'light');
    await page.getByRole('tab', { name: 'All I can see' }).click();
    await search(page, '', [references.riley, references.casey, references.shared]);
    const from = page.getByRole('textbox', { name: 'Raised from' });
    const to = page.getByRole('textbox', { name: 'Raised to' });
    await from.fill(formatDate(inDays(1)));
    await search(page, '', []);
    await page.getByText('No requests match.').waitFor();
    await from.fill(formatDate(today()));
    await to.fill(formatDate(today()));
    await search(page, '', [references.riley, references.casey, references.shared]);
    await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'Shared — to be placed on the case record' });
    await search(page, '', [references.shared]);
    await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'Awaiting team manager' });
    await search(page, '', [references.riley, references.casey]);

    await from.fill('31/02/2026');
    await from.blur();
    await page.getByText('Enter the first day raised as a real date, day/month/year, for example 14/03/2026.').waitFor();
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    // The list stays as it was until the date is put right.
    expect(await listed(page).count()).toBe(2);
    await page.screenshot({ path: screenshotPath('inbox-light-03-filters'), fullPage: true });
    await page.context().close();
  });

  test('at 360 px the inbox and its filters fit without sideways scrolling', async () => {
    const page = await signIn('Tom Reid', 'light', 360);
    await page.getByRole('tab', { name: 'Waiting for me (2)', selected: true }).waitFor();
    await search(page, 'Smith', [references.riley]);
    expect(await sidewaysScroll(page)).toBe(0);
    const problems: Problems = [];
    await check(page, 'inbox-mobile-04-waiting', problems);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('drafts', () => {
  /** Starts a request, waits until the server holds it, and goes back to the list. */
  async function saveDraft(page: Page, caseReference: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New request' }).click();
    await page.getByRole('heading', { name: 'New Investigation Request' }).waitFor();
    await page.getByRole('textbox', { name: /^Case reference/ }).fill(caseReference);
    await page.getByRole('textbox', { name: /^Child 1: name/ }).fill('Alex Draft');
    await page.getByRole('status').filter({ hasText: /^Draft saved \d{2}\/\d{2}\/\d{4}/ }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
  }

  test.each([...THEMES, 'mobile'] as const)('a draft is saved on the server, listed under "My requests", reopened and discarded (%s)', async (variant) => {
    const problems: Problems = [];
    const theme: Theme = variant === 'mobile' ? 'light' : variant;
    const page = await signIn('Amelia Hart', theme, variant === 'mobile' ? 360 : 1280);
    const caseReference = `CASE-DRAFT-${variant.toUpperCase()}`;
    await saveDraft(page, caseReference);

    // A draft waits for its writer, so she may land on "Waiting for me"; it is under "My requests" too.
    await page.getByRole('tab', { name: 'My requests' }).click();
    const item = page.getByRole('listitem').filter({ hasText: caseReference });
    await item.getByText('Draft', { exact: true }).waitFor();
    const reference = (await item.getByRole('link', { name: /^SMC-/ }).textContent()) ?? '';
    expect(reference).toMatch(/^SMC-/);
    if (variant === 'mobile') expect(await sidewaysScroll(page)).toBe(0);
    await check(page, `drafts-${variant}-01-listed`, problems);

    await item.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: 'Investigation Request (draft)' }).waitFor();
    expect(await page.getByRole('textbox', { name: /^Case reference/ }).inputValue()).toBe(caseReference);
    expect(await page.getByRole('textbox', { name: /^Child 1: name/ }).inputValue()).toBe('Alex Draft');

    const opener = page.getByRole('button', { name: `Discard draft ${reference}` });
    await opener.click();
    const dialog = page.getByRole('alertdialog', { name: 'Discard this draft?' });
    await dialog.getByText(`Draft ${reference} and everything written in it will be deleted.`).waitFor();
    await dialog.getByText('The audit trail keeps only that the draft existed and that you discarded it.').waitFor();
    // An open dialog hides the page's scrollbar, so the page may be narrower than the window.
    if (variant === 'mobile') expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await check(page, `drafts-${variant}-02-discard`, problems, false);
    await dialog.getByRole('button', { name: 'Discard draft' }).click();

    await page.getByText(`Draft ${reference} discarded`).first().waitFor();
    await page.getByRole('tab', { name: 'My requests' }).click();
    await listed(page).first().waitFor();
    expect(await page.getByRole('listitem').filter({ hasText: caseReference }).count()).toBe(0);
    // The same page axe has checked already: photographed only.
    await page.screenshot({ path: screenshotPath(`drafts-${variant}-03-discarded`), fullPage: true });
    await page.context().close();

    // Gone from the server too, not only from the list.
    const found = await api('GET', `/api/requests?mine=true&q=${encodeURIComponent(reference)}`, 'amelia.hart');
    expect(found.items).toEqual([]);
    expect(problems).toEqual([]);
  });
});
