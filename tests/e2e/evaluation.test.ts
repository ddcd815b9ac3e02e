/**
 * The pilot evaluation dashboard in headless Chromium: seeded through the API, opened by the
 * service manager, checked with axe and photographed in the light, dark and high-contrast themes.
 * Each chart's table equivalent is read back.
 */
import type { Browser } from 'playwright-core';
import { ensureTabBuilt, launchBrowser, screenshotPath, seriousViolations, startServer, type RunningServer } from './support';
import { withSupervisionNote } from '../support/action-body';

jest.setTimeout(600_000);

let server: RunningServer;
let browser: Browser;

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
const today = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** One request shared with an assessment, one withdrawn, one declined. */
async function seed(): Promise<void> {
  const [osw, tm, sd, aaw] = (await Promise.all(['amelia.hart', 'tom.reid', 'sarah.mitchell', 'imran.malik'].map(token))) as [string, string, string, string];
  const create = async () =>
    (
      await call('POST', '/api/requests', osw, {
        caseReference: 'CM-2001',
        children: [{ name: 'Child A' }],
        concernCategories: ['risky_behaviour'],
        concernDetails: 'Reports of drinking',
        justification: 'Home visits inconclusive',
        subjects: [{ kind: 'service_user', name: 'Jane Doe' }],
        period: { from: today(-60), to: today() },
        monitoring: null,
        neededBy: today(14),
      })
    ).id as string;
  const act = async (who: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const current = await call('GET', `/api/requests/${id}`, who);
    return call('POST', `/api/requests/${id}/actions/${action}`, who, { version: current.version, ...withSupervisionNote(action, body) });
  };
  const shared = await create();
  await act(osw, shared, 'submit');
  await act(tm, shared, 'agree');
  await act(sd, shared, 'authorise');
  await act(aaw, shared, 'claim');
  await act(aaw, shared, 'confirm-legitimacy');
  const session = await call('POST', `/api/requests/${shared}/search-sessions`, aaw, { corporateAccount: true });
  await call('POST', `/api/requests/${shared}/search-sessions/${session.id as string}/end`, aaw);
  const subjectId = ((await call('GET', `/api/requests/${shared}`, aaw)).subjects as { id: string }[])[0]?.id;
  await call('PUT', `/api/requests/${shared}/log`, aaw, { findings: [{ subjectId, visibility: 'not_found', summary: 'No profile' }] });
  await act(aaw, shared, 'complete-log');
  await call('PUT', `/api/requests/${shared}/log`, osw, { assessment: { summary: 'Adds little', usefulPieces: 2, uniquePieces: 1, contribution: 'some', actionsTaken: 'None' } });
  await act(osw, shared, 'finalise');
  await act(osw, shared, 'share');
  const withdrawn = await create();
  await act(osw, withdrawn, 'submit');
  await act(osw, withdrawn, 'withdraw', { reason: 'Family moved away' });
  const declined = await create();
  await act(osw, declined, 'submit');
  await act(tm, declined, 'decline', { reason: 'Not discussed in supervision' });
}

beforeAll(async () => {
  ensureTabBuilt();
  server = await startServer();
  browser = await launchBrowser();
  await seed();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(['light', 'dark', 'contrast'] as const)('the evaluation dashboard (%s)', (theme) => {
  it('shows the three criteria, charts with tables, and passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    try {
      await page.goto(`${server.baseUrl}/evaluation${theme === 'light' ? '' : `?theme=${theme}`}`);
      await page.getByRole('button', { name: 'Sign in as Grace Lee' }).click();
      await page.getByRole('heading', { name: 'Pilot evaluation' }).waitFor();
      await page.getByText('The three questions').waitFor();
      await page.getByText('1. Information not otherwise available').waitFor();
      // The table equivalent of the outcomes chart, as a screen reader finds it.
      const outcomes = page.getByRole('table', { name: 'Requests by outcome' });
      await expect(outcomes.getByRole('row', { name: 'Withdrawn 1' }).count()).resolves.toBe(1);
      await expect(outcomes.getByRole('row', { name: 'Declined by team manager 1' }).count()).resolves.toBe(1);
      await expect(outcomes.getByRole('row', { name: 'Completed and shared 1' }).count()).resolves.toBe(1);
      await page.getByText('Family moved away').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: screenshotPath(`evaluation-${theme}`), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      // A table can be shown to sighted users too.
      await page.getByRole('button', { name: 'Show as table' }).first().click();
      await page.getByRole('button', { name: 'Hide table' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

it('is not offered to a social worker, and the API refuses them', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('button', { name: 'Sign in as Amelia Hart' }).click();
    await page.getByRole('link', { name: 'Requests' }).waitFor();
    expect(await page.getByRole('link', { name: 'Pilot evaluation' }).count()).toBe(0);
  } finally {
    await context.close();
  }
});
