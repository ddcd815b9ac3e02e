/**
 * The retention review in headless Chromium, on PostgreSQL: three withdrawn requests whose closure
 * is moved back years (the server's clock is real), one then proposed for disposal and one put under
 * a legal hold through the API. The service manager proposes disposal of the one due; a different
 * person, the service director, confirms the one proposed. Checked with axe in the light, dark and
 * high-contrast themes and at 360 px, where nothing may scroll sideways.
 */
import type { Browser, Page } from 'playwright-core';
import pg from 'pg';
import { freshDatabase, type TestDatabase } from '../support/databases';
import { ensureTabBuilt, launchBrowser, screenshotPath, seriousViolations, startServer, type RunningServer } from './support';

jest.setTimeout(600_000);

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
const references: Record<'due' | 'proposed' | 'held', string> = { due: '', proposed: '', held: '' };

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(parsed)}`);
  return parsed;
}

const token = async (userId: string) => (await call('POST', '/api/dev/token', null, { userId })).token as string;
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function seed(): Promise<void> {
  const [osw, sm] = (await Promise.all(['amelia.hart', 'grace.lee'].map(token))) as [string, string];
  const ids: Record<string, string> = {};
  for (const key of ['due', 'proposed', 'held'] as const) {
    const created = await call('POST', '/api/requests', osw, {
      caseReference: `CM-RET-${key}`,
      children: [{ name: 'Child A' }],
      concernCategories: ['risky_behaviour'],
      concernDetails: 'Reports of drinking',
      justification: 'Home visits inconclusive',
      subjects: [{ kind: 'service_user', name: 'Jane Doe' }],
      period: { from: day(-60), to: day() },
      monitoring: null,
      neededBy: day(14),
    });
    const id = created.id as string;
    ids[key] = id;
    references[key] = created.reference as string;
    await call('POST', `/api/requests/${id}/actions/submit`, osw, { version: created.version });
    const current = await call('GET', `/api/requests/${id}`, osw);
    await call('POST', `/api/requests/${id}/actions/withdraw`, osw, { version: current.version, reason: 'Family moved away' });
  }
  // Closed years ago, so the schedule (two years for a withdrawn request) has run out.
  const client = new pg.Client({ connectionString: (database.env as { DATABASE_URL: string }).DATABASE_URL });
  await client.connect();
  try {
    await client.query(`UPDATE investigation_requests SET closed_at = '2021-03-01T10:00:00.000Z' WHERE id = ANY($1)`, [Object.values(ids)]);
  } finally {
    await client.end();
  }
  await call('POST', `/api/retention/requests/${ids.proposed ?? ''}/proposal`, sm, { note: 'Nothing outstanding.' });
  await call('PUT', `/api/retention/requests/${ids.held ?? ''}/hold`, sm, { hold: true, reason: 'Complaint to the ombudsman' });
}

beforeAll(async () => {
  ensureTabBuilt();
  database = await freshDatabase('PostgreSQL');
  server = await startServer(database.env);
  browser = await launchBrowser();
  await seed();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await database?.drop();
});

async function signIn(person: string, theme: 'light' | 'dark' | 'contrast', width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${server.baseUrl}/retention${theme === 'light' ? '' : `?theme=${theme}`}`);
  await page.getByRole('button', { name: `Sign in as ${person}` }).click();
  await page.getByRole('heading', { name: 'Retention review' }).waitFor();
  await page.getByRole('heading', { name: /^Due for a decision/ }).waitFor();
  return page;
}

const card = (page: Page, reference: string) => page.getByRole('listitem', { name: reference });

test.each(['light', 'dark', 'contrast'] as const)('the review list passes axe with a form open (%s)', async (theme) => {
  const page = await signIn('Grace Lee', theme);
  await card(page, references.held).getByText('Complaint to the ombudsman').waitFor();
  await card(page, references.due).getByRole('button', { name: 'Place legal hold' }).click();
  await card(page, references.due).getByLabel(/Reason for the legal hold/).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath(`retention-${theme}`), fullPage: true });
  await page.context().close();
});

test('at 360 px nothing scrolls sideways and axe passes', async () => {
  const page = await signIn('Sarah Mitchell', 'light', 360);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath('retention-mobile'), fullPage: true });
  await page.context().close();
});

test('the service manager proposes disposal of what is due; the service director confirms another’s proposal', async () => {
  let page = await signIn('Grace Lee', 'light');
  // A service manager proposes but never confirms.
  expect(await card(page, references.proposed).getByRole('button', { name: 'Confirm disposal' }).count()).toBe(0);
  await card(page, references.due).getByRole('button', { name: 'Propose disposal' }).click();
  await card(page, references.due).getByLabel(/Note for the service director/).fill('Withdrawn years ago; nothing outstanding.');
  await card(page, references.due).getByRole('button', { name: 'Propose disposal' }).click();
  await page.getByText('Disposal proposed: a service director must confirm it.').waitFor();
  await page.getByRole('heading', { name: 'Disposal proposed, waiting for a service director (2)' }).waitFor();
  await page.context().close();

  page = await signIn('Sarah Mitchell', 'light');
  await card(page, references.proposed).getByRole('button', { name: 'Confirm disposal' }).click();
  await card(page, references.proposed).getByText('This cannot be undone').waitFor();
  await card(page, references.proposed).getByRole('button', { name: 'Dispose of it now' }).click();
  await page.getByText('Disposed of: personal data and evidence are removed').waitFor();
  await page.getByRole('heading', { name: 'Disposal proposed, waiting for a service director (1)' }).waitFor();
  expect(await card(page, references.proposed).count()).toBe(0);
  await page.context().close();
});
