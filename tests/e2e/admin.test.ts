/**
 * The administration page in headless Chromium, as Nina Shaw (the seeded administrator): people
 * and roles, the access worker register edited, "sync now". Checked with axe (no serious or
 * critical violations) and photographed in the light theme and at Teams mobile width.
 */
import type { Browser, Page } from 'playwright-core';
import { ensureTabBuilt, launchBrowser, openInApp, type RunningServer, screenshotPath, seriousViolations, signInAs, startServer } from './support';

jest.setTimeout(600_000);

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  ensureTabBuilt();
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(person: string, width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${server.baseUrl}/`);
  await signInAs(page, person);
  return page;
}

test('an administrator keeps the register and syncs the directory; the page passes axe', async () => {
  const page = await signIn('Nina Shaw', 1280);
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('heading', { name: 'Administration' }).waitFor();
  await page.getByRole('table', { name: 'People and their roles' }).getByText('Amelia Hart').waitFor();
  expect(await page.getByRole('table', { name: 'People and their roles' }).getByRole('row').count()).toBeGreaterThan(13);

  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByText('Synced: 0 added, 0 changed, 0 removed.').waitFor();
  await page.getByText(/on request\) — succeeded/).waitFor();

  // An impossible date: named with the person and the field, marked invalid, announced, not sent.
  await page.getByLabel('Hannah Cole: trained on').fill('31/02/2026');
  await page.getByRole('button', { name: 'Save Hannah Cole' }).click();
  await page.getByRole('status').getByText('Hannah Cole: trained on must be a real date as dd/mm/yyyy, for example 14/03/2026.').waitFor();
  expect(await page.getByLabel('Hannah Cole: trained on').getAttribute('aria-invalid')).toBe('true');

  await page.getByLabel('Imran Malik: authorised until').fill('01/10/2026');
  await page.getByRole('button', { name: 'Save Imran Malik' }).click();
  await page.getByText("Imran Malik's dates are saved.").waitFor();
  await page.getByText('5 of 6 places on the register are taken by authorised access workers.').waitFor();
  await page.getByRole('row', { name: /Imran Malik/ }).getByText('Authorisation ended').waitFor();

  await page.waitForTimeout(400);
  await page.screenshot({ path: screenshotPath('admin-light'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await page.context().close();

  const mobile = await signIn('Nina Shaw', 360);
  await openInApp(mobile, '/admin');
  await mobile.getByRole('heading', { name: 'Access worker register' }).waitFor();
  await mobile.screenshot({ path: screenshotPath('admin-mobile'), fullPage: true });
  expect(await seriousViolations(mobile)).toEqual([]);
  await mobile.context().close();
});

test('someone who is not an administrator has no administration page', async () => {
  const page = await signIn('Grace Lee', 1280);
  expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
  await openInApp(page, '/admin');
  await page.getByText('Only an administrator may administer the service.').first().waitFor();
  await page.context().close();
});
