/**
 * The log reaches the people it is shared with (issue 14 item 5) and evidence is viewed safely
 * (issue 13 item 2), in headless Chromium:
 * - the originating worker sees evidence as it is captured; an image is previewed from a one-time
 *   link (never a blob: URL), a saved web page is only downloaded;
 * - the access worker's workspace shows every detail of the people to check, in full;
 * - the service manager finds the shared request without touching the state filter and reads the
 *   findings per person, the assessment, the search sessions with times and the evidence;
 * - the originating worker records that the documents are on the case record, and the request closes.
 * Each page is checked with axe in the light, dark and high-contrast themes and photographed at 360 px.
 */
import type { Browser, Page } from 'playwright-core';
import { type AxeProblem, ensureTabBuilt, launchBrowser, openInApp, type RunningServer, screenshotPath, seriousViolations, signInAs, startServer } from './support';
import { withSupervisionNote } from '../support/action-body';

jest.setTimeout(600_000);

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const SAVED_PAGE = Buffer.from('<!doctype html><html><head><meta http-equiv="refresh" content="0;url=https://example.org/"></head><body>Saved profile</body></html>');

let server: RunningServer;
let browser: Browser;
let requestId = '';
const tokens: Record<string, string> = {};

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
async function act(person: string, action: string, body: Record<string, unknown> = {}): Promise<void> {
  const current = await api('GET', `/api/requests/${requestId}`, person);
  await api('POST', `/api/requests/${requestId}/actions/${action}`, person, { version: current.version, ...withSupervisionNote(action, body) });
}
async function upload(bytes: Buffer, name: string, subjectId: string, description: string): Promise<void> {
  const form = new FormData();
  form.append('metadata', JSON.stringify({ subjectId, sourceUrl: 'https://www.facebook.com/jordan.smith.example/posts/1', capturedAt: new Date().toISOString(), description, publiclyVisible: true }));
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const response = await fetch(`${server.baseUrl}/api/requests/${requestId}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${tokens['imran.malik'] ?? ''}` }, body: form });
  if (response.status !== 201) throw new Error(`upload ${name}: ${response.status} ${await response.text()}`);
}

beforeAll(async () => {
  ensureTabBuilt();
  server = await startServer();
  browser = await launchBrowser();
  for (const id of ['amelia.hart', 'tom.reid', 'sarah.mitchell', 'grace.lee', 'imran.malik']) {
    const response = await fetch(`${server.baseUrl}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id }) });
    tokens[id] = ((await response.json()) as { token: string }).token;
  }
  const today = new Date().toISOString().slice(0, 10);
  const created = await api('POST', '/api/requests', 'amelia.hart', {
    caseReference: 'CASE-SHARED-1',
    team: 'Assessment Team North',
    children: [{ name: 'Riley Smith', dateOfBirth: '2016-04-12' }],
    concernCategories: ['person_posing_risk'],
    concernDetails: 'A former partner may be living at the address.',
    justification: 'Public posts would settle it; home visits have not.',
    subjects: [
      {
        kind: 'service_user',
        name: 'Jordan Smith',
        otherNames: 'Jordan Smyth; JJ Smith',
        area: 'Northgate, Wakefield',
        relationshipToChild: 'Mother',
        profileUrl: 'https://www.facebook.com/jordan.smith.example',
        description: 'Dark hair, often photographed with a white dog called Bruno at the Northgate allotments.',
      },
      { kind: 'unknown_associate', description: 'Man in his thirties with a shaved head and a red van, seen collecting Riley from school on several Fridays in October.' },
    ],
    period: { from: '2026-06-01', to: today },
    neededBy: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
  });
  requestId = created.id as string;
  const subjectId = (created.subjects as { id: string }[])[0]?.id ?? '';
  const unknownId = (created.subjects as { id: string }[])[1]?.id ?? '';
  await act('amelia.hart', 'submit');
  await act('tom.reid', 'agree');
  await act('sarah.mitchell', 'authorise');
  await act('imran.malik', 'claim');
  await act('imran.malik', 'confirm-legitimacy');
  const session = await api('POST', `/api/requests/${requestId}/search-sessions`, 'imran.malik', { corporateAccount: true });
  await upload(PNG, 'profile.png', subjectId, 'Public post showing the former partner at the family home.');
  await upload(SAVED_PAGE, 'profile.html', subjectId, 'The public profile page as saved.');
  await api('POST', `/api/requests/${requestId}/search-sessions/${session.id as string}/end`, 'imran.malik', {});
  await api('PUT', `/api/requests/${requestId}/log`, 'imran.malik', {
    findings: [
      { subjectId, visibility: 'public', profileUrl: 'https://www.facebook.com/jordan.smith.example', summary: 'Posts from October show the former partner at the address.' },
      { subjectId: unknownId, visibility: 'not_found', summary: 'Could not be identified from public information.' },
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const THEMES = ['light', 'dark', 'contrast'] as const;

async function signIn(person: string, path: string, theme: (typeof THEMES)[number], width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 900 }, locale: 'en-GB', timezoneId: 'Europe/London', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (error) => {
    throw error;
  });
  const query = theme === 'light' ? '' : `?theme=${theme}`;
  await page.goto(`${server.baseUrl}${path}${query}`);
  await signInAs(page, person);
  return page;
}

async function problemsOn(page: Page, name: string, problems: { page: string; violations: AxeProblem[] }[]): Promise<void> {
  await page.waitForTimeout(300);
  const violations = await seriousViolations(page);
  if (violations.length) problems.push({ page: name, violations });
}

/** The <img> elements of the page: none may point at a blob: URL, and each must have loaded. */
async function images(page: Page): Promise<{ src: string; width: number }[]> {
  return page.locator('img').evaluateAll((all) => all.map((img) => ({ src: (img as HTMLImageElement).src, width: (img as HTMLImageElement).naturalWidth })));
}

describe('the originating worker and the access worker while the search is under way', () => {
  test.each(THEMES)('evidence as it is captured, previewed from a one-time link; a saved page only downloaded; the people to check in full (%s)', async (theme) => {
    const problems: { page: string; violations: AxeProblem[] }[] = [];
    let page = await signIn('Amelia Hart', `/requests/${requestId}`, theme);
    await page.getByRole('heading', { name: 'Investigation Log' }).waitFor();
    await page.getByText(/The search is under way/).waitFor();
    // Named by the server (reference and id), not by the uploaded file's name.
    await page.getByText('PNG image', { exact: false }).first().waitFor();
    await page.getByText(/Posts from October show the former partner/).waitFor();
    await page.getByRole('button', { name: /^Preview SMC-.*\.png$/ }).click();
    const preview = page.getByRole('img', { name: /Evidence: Public post showing the former partner/ });
    await preview.waitFor();
    await page.waitForFunction(() => [...document.images].every((i) => i.complete));
    const shown = await images(page);
    expect(shown).toEqual([{ src: expect.stringMatching(new RegExp(`/api/requests/${requestId}/evidence/[0-9a-f-]+/content\\?ticket=`)), width: 1 }]);
    // The saved web page is a download, never opened in the tab.
    const pagesBefore = page.context().pages().length;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Download SMC-.*\.html$/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.html$/);
    expect(download.url()).toMatch(/\/content\?ticket=/);
    expect(page.context().pages().length).toBe(pagesBefore);
    await problemsOn(page, `osw-searching-${theme}`, problems);
    await page.screenshot({ path: screenshotPath(`shared-log-${theme}-01-osw-searching`), fullPage: true });
    await page.context().close();

    page = await signIn('Imran Malik', `/requests/${requestId}/workspace`, theme);
    await page.getByRole('heading', { name: /^Workspace/ }).waitFor();
    await page.getByText('Jordan Smyth; JJ Smith').waitFor();
    await page.getByText('Northgate, Wakefield').waitFor();
    await page.getByText('Dark hair, often photographed with a white dog called Bruno at the Northgate allotments.').waitFor();
    await page.getByText('https://www.facebook.com/jordan.smith.example', { exact: true }).first().waitFor();
    // An unknown associate's description in full, not cut to a label.
    await page.getByText('Man in his thirties with a shaved head and a red van, seen collecting Riley from school on several Fridays in October.').first().waitFor();
    await problemsOn(page, `workspace-${theme}`, problems);
    await page.screenshot({ path: screenshotPath(`shared-log-${theme}-02-workspace`), fullPage: true });
    await page.context().close();
    expect(problems).toEqual([]);
  });
});

describe('after sharing', () => {
  beforeAll(async () => {
    await act('imran.malik', 'complete-log');
    await api('PUT', `/api/requests/${requestId}/log`, 'amelia.hart', {
      assessment: { summary: 'Confirms the former partner is still present.', usefulPieces: 2, uniquePieces: 1, contribution: 'considerable', actionsTaken: 'Strategy discussion held.' },
    });
    await act('amelia.hart', 'finalise');
    await act('amelia.hart', 'share');
  });

  test.each(THEMES)('the service manager finds the shared log and reads all of it (%s)', async (theme) => {
    const problems: { page: string; violations: AxeProblem[] }[] = [];
    const page = await signIn('Grace Lee', '/', theme);
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    await page.getByRole('tab', { name: 'Shared with me' }).click();
    // Found with the state filter as it was: shared logs are listed whatever their state.
    await page.getByRole('link', { name: /^SMC-/ }).first().click();
    await page.getByRole('heading', { name: /^Request / }).waitFor();
    const log = page.getByRole('region', { name: 'Investigation Log' });
    await log.getByRole('heading', { name: 'Jordan Smith' }).waitFor();
    await log.getByText('Public profile', { exact: true }).waitFor();
    await log.getByText('Posts from October show the former partner at the address.').waitFor();
    await log.getByText('Could not be identified from public information.').waitFor();
    await log.getByText('Confirms the former partner is still present.').waitFor();
    await log.getByText('Considerable').waitFor();
    await log.getByRole('list', { name: 'Search sessions' }).getByText(/corporate account confirmed/).waitFor();
    await log.getByText(/Grace Lee, \d{2}\/\d{2}\/\d{4}/).waitFor();
    await log.getByRole('button', { name: /^Preview SMC-.*\.png$/ }).click();
    await log.getByRole('img', { name: /Evidence: Public post/ }).waitFor();
    await page.waitForFunction(() => [...document.images].every((i) => i.complete));
    expect((await images(page)).every((i) => i.src.includes('?ticket=') && !i.src.startsWith('blob:') && i.width === 1)).toBe(true);
    await problemsOn(page, `sm-shared-${theme}`, problems);
    await page.screenshot({ path: screenshotPath(`shared-log-${theme}-03-service-manager`), fullPage: true });
    await page.context().close();
    expect(problems).toEqual([]);
  });

  test('at 360 px the shared log reads without sideways scrolling; the worker records the placement and the request closes', async () => {
    let page = await signIn('Grace Lee', `/requests/${requestId}`, 'light', 360);
    await page.getByRole('heading', { name: 'Investigation Log' }).waitFor();
    await page.getByRole('button', { name: /^Preview SMC-.*\.png$/ }).click();
    await page.getByRole('img', { name: /Evidence: Public post/ }).waitFor();
    const excess = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(excess).toBe(0);
    await page.screenshot({ path: screenshotPath('shared-log-mobile-04-service-manager'), fullPage: true });
    await page.context().close();

    page = await signIn('Amelia Hart', `/requests/${requestId}`, 'light', 360);
    await page.getByText('Place the documents on the case record', { exact: true }).waitFor();
    // The documents are filed by the outbox after sharing; the page shows them once they are.
    await page.getByRole('heading', { name: 'Record documents' }).waitFor();
    for (let i = 0; i < 30 && (await page.getByRole('button', { name: /^Investigation Log, version 2/ }).count()) === 0; i += 1) {
      await page.waitForTimeout(1000);
      await openInApp(page, `/requests/${requestId}`);
      await page.getByRole('heading', { name: 'Record documents' }).waitFor();
    }
    await page.getByRole('button', { name: 'Record placement on the case record', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/You confirm that you have placed/).waitFor();
    await dialog.getByRole('button', { name: 'Record placement on the case record', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Closed — on the case record').first().waitFor();
    await page.getByText(/Placed on the case record by Amelia Hart on/).waitFor();
    const violations = await seriousViolations(page);
    await page.screenshot({ path: screenshotPath('shared-log-mobile-05-closed'), fullPage: true });
    expect(violations).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.context().close();
  });
});
