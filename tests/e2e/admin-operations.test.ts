/**
 * Failed work on the administration page, in headless Chromium: a notification given up on (the
 * team manager had never opened the app in Teams, so the bot had no conversation with him) and
 * evidence SharePoint refused, each listed and retried by Nina Shaw (the seeded administrator).
 * SharePoint is the Graph stand-in; the chat with the bot is local mode's Teams chat preview.
 * Checked with axe in the light, dark and high-contrast themes and at Teams mobile width (360 px).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startGraphServer, type GraphServer } from '../support/graph-server';
import { PNG_BYTES, requestBody } from '../integration/api/helpers';
import { ensureTabBuilt, launchBrowser, openInApp, type RunningServer, screenshotPath, seriousViolations, signInAs, startServer } from './support';
import { withSupervisionNote } from '../support/action-body';

jest.setTimeout(600_000);

let graph: GraphServer;
let server: RunningServer;
let browser: Browser;
let settingsDir: string;

beforeAll(async () => {
  ensureTabBuilt();
  graph = await startGraphServer();
  settingsDir = mkdtempSync(path.join(tmpdir(), 'smc-e2e-graph-'));
  writeFileSync(path.join(settingsDir, 'ca.pem'), graph.ca);
  server = await startServer({
    EVIDENCE_STORE: 'sharepoint',
    AZURE_TENANT_ID: graph.tenantId,
    AZURE_CLIENT_ID: '00000000-0000-0000-0000-00000000c11e',
    AZURE_CLIENT_SECRET: 'e2e-secret',
    AZURE_AUTHORITY_HOST: graph.authorityHost,
    SHAREPOINT_GRAPH_BASE_URL: graph.graphBaseUrl,
    SHAREPOINT_SITE_ID: 'contoso.sharepoint.com,site-guid,web-guid',
    SHAREPOINT_DRIVE_ID: 'b!evidence-drive',
    SHAREPOINT_CA_FILE: path.join(settingsDir, 'ca.pem'),
    SHAREPOINT_MAX_ATTEMPTS: '1',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await graph?.stop();
  if (settingsDir) rmSync(settingsDir, { recursive: true, force: true });
});

async function call(method: string, url: string, token?: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/**
 * Amelia raises a request that Tom agrees, Sarah authorises and Hannah searches, over the API. Tom
 * has no chat with the bot yet, so his card cannot be posted; SharePoint refuses the evidence (403).
 */
async function failedWork(): Promise<{ reference: string; fileName: string }> {
  const token = async (userId: string) => (await call('POST', '/api/dev/token', undefined, { userId })).body.token as string;
  const [osw, tm, sd, aaw] = [await token('amelia.hart'), await token('tom.reid'), await token('sarah.mitchell'), await token('hannah.cole')];
  const created = await call('POST', '/api/requests', osw, requestBody());
  const id = created.body.id as string;
  const subjectId = (created.body.subjects as { id: string }[])[0]?.id ?? '';
  let version = 1;
  const steps: [string, string, Record<string, unknown>][] = [
    [osw, 'submit', {}],
    [tm, 'agree', { note: 'Discussed in supervision' }],
    [sd, 'authorise', { subjectIds: [subjectId] }],
    [aaw, 'claim', {}],
    [aaw, 'confirm-legitimacy', {}],
  ];
  for (const [who, action, extra] of steps) {
    const done = await call('POST', `/api/requests/${id}/actions/${action}`, who, { version, ...withSupervisionNote(action, extra) });
    if (done.status !== 200) throw new Error(`${action}: ${done.status} ${JSON.stringify(done.body)}`);
    version = done.body.version as number;
  }
  if ((await call('POST', `/api/requests/${id}/search-sessions`, aaw, { corporateAccount: true })).status !== 201) throw new Error('no search session');
  // "403 Forbidden: The caller doesn't have permission to perform the action." (Microsoft Graph error responses)
  graph.inject({ target: 'simple', kind: 'status', status: 403 });
  const form = new FormData();
  form.append('metadata', JSON.stringify({ subjectId, sourceUrl: 'https://www.facebook.com/jane.doe/photos/1', capturedAt: '2026-11-25T10:30:00Z', description: 'Photograph', publiclyVisible: true }));
  form.append('file', new Blob([new Uint8Array(PNG_BYTES)]), 'screenshot.png');
  const upload = await fetch(`${server.baseUrl}/api/requests/${id}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${aaw}` }, body: form });
  if (!upload.ok) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  // The library names the file by the request and its number, not as the access worker's computer did.
  const operations = await call('GET', '/api/admin/operations', await token('nina.shaw'));
  const [waiting] = operations.body.pendingUploads as { fileName: string }[];
  if (!waiting) throw new Error(`nothing is waiting for SharePoint: ${JSON.stringify(operations.body)}`);
  return { reference: created.body.reference as string, fileName: waiting.fileName };
}

async function signIn(person: string, width: number, theme = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${server.baseUrl}/?theme=${theme}`);
  await signInAs(page, person);
  return page;
}

/** Presses Refresh until `done` holds: the server's retry runs after it has answered. */
async function refreshUntil(page: Page, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 60 && !(await done()); i += 1) {
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('heading', { name: 'Notifications given up on' }).waitFor();
  }
  expect(await done()).toBe(true);
}

test('an administrator sees failed notifications and pending uploads and retries them; the page passes axe in every theme and at 360 px', async () => {
  const { reference, fileName } = await failedWork();

  for (const theme of ['light', 'dark', 'contrast']) {
    const themed = await signIn('Nina Shaw', 1280, theme);
    await themed.getByRole('link', { name: 'Administration' }).click();
    const row = themed.getByRole('table', { name: 'Failed notifications' }).getByRole('row', { name: /Request to agree.*Tom Reid/ });
    await row.getByText(reference).waitFor();
    await row.getByText(/has not installed the Social Media Checks app/).waitFor();
    const upload = themed.getByRole('table', { name: 'Pending uploads' }).getByRole('row', { name: new RegExp(reference) });
    await upload.getByText(fileName).waitFor();
    await upload.getByText('Failed: waits for a retry').waitFor();
    // SharePoint's own words for the refusal (the stand-in's message).
    await upload.getByText(/Injected fault/).waitFor();
    await themed.waitForTimeout(400);
    await themed.screenshot({ path: screenshotPath(`admin-operations-${theme}`), fullPage: true });
    expect({ theme, problems: await seriousViolations(themed) }).toEqual({ theme, problems: [] });
    await themed.context().close();
  }

  const mobile = await signIn('Nina Shaw', 360);
  await openInApp(mobile, '/admin');
  await mobile.getByRole('table', { name: 'Pending uploads' }).getByText(fileName).waitFor();
  // Nothing but the tables' own scroll regions is wider than the screen.
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await mobile.waitForTimeout(400);
  await mobile.screenshot({ path: screenshotPath('admin-operations-mobile'), fullPage: true });
  expect(await seriousViolations(mobile)).toEqual([]);
  await mobile.context().close();

  // Tom opens the app in Teams (the chat preview installs it for him); then his card can be sent.
  const chat = await browser.newPage();
  await chat.goto(`${server.baseUrl}/preview/`);
  const installed = chat.waitForResponse((r) => r.url().endsWith('/api/messages') && r.request().method() === 'POST');
  await chat.locator('#person').selectOption('tom.reid');
  expect((await installed).ok()).toBe(true);

  const page = await signIn('Nina Shaw', 1280);
  await page.getByRole('link', { name: 'Administration' }).click();
  const notifications = page.getByRole('table', { name: 'Failed notifications' });
  await notifications.getByRole('button', { name: 'Retry Request to agree for Tom Reid' }).click();
  await page.getByText('Request to agree for Tom Reid is queued to be sent again.').first().waitFor();
  await refreshUntil(page, async () => (await notifications.getByRole('row', { name: /Request to agree.*Tom Reid/ }).count()) === 0);
  // The card reached Tom's chat.
  await chat.getByText('A social media check for you to agree').first().waitFor();
  await chat.close();

  // SharePoint takes the file now (its refusal was for one call only).
  await page.getByRole('button', { name: `Retry ${fileName} of ${reference}` }).click();
  await page.getByText(`${fileName} of ${reference} is being sent to SharePoint again.`).first().waitFor();
  await refreshUntil(page, async () => (await page.getByText('No evidence is waiting for SharePoint.').count()) === 1);
  expect(graph.callsTo('simple').filter((c) => c.status === 201)).toHaveLength(1);
  await page.context().close();
});

test('someone who is not an administrator is refused the failed work', async () => {
  const page = await signIn('Grace Lee', 1280);
  const token = (await call('POST', '/api/dev/token', undefined, { userId: 'grace.lee' })).body.token as string;
  expect((await call('GET', '/api/admin/operations', token)).status).toBe(403);
  await openInApp(page, '/admin');
  await page.getByText('Only administrators can see and retry failed work.').first().waitFor();
  await page.context().close();
});
