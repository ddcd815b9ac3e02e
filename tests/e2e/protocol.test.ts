/**
 * The whole protocol through the tab in headless Chromium, by the seeded people: request,
 * agree, authorise, claim, confirm legitimacy, search session, evidence upload, log,
 * finalise, share and feedback. Every page is checked with axe (no serious or critical
 * violations) and photographed, in the light, dark and high-contrast themes and at 360 px.
 */
import type { Browser, Page } from 'playwright-core';
import { animationsFinished, type AxeProblem, ensureTabBuilt, launchBrowser, openInApp, type RunningServer, screenshotPath, seriousViolations, signInAs, startServer } from './support';

jest.setTimeout(600_000);

// A 1×1 PNG: the server decides the type by content, so the bytes must be a real PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const AMELIA = 'Amelia Hart'; // originating social worker
const TOM = 'Tom Reid'; // her team manager
const SARAH = 'Sarah Mitchell'; // service director
const IMRAN = 'Imran Malik'; // access worker

interface Variant {
  name: string;
  theme: 'light' | 'dark' | 'contrast';
  width: number;
  height: number;
}

const VARIANTS: Variant[] = [
  { name: 'light', theme: 'light', width: 1280, height: 900 },
  { name: 'dark', theme: 'dark', width: 1280, height: 900 },
  { name: 'contrast', theme: 'contrast', width: 1280, height: 900 },
  { name: 'mobile', theme: 'light', width: 360, height: 740 },
];

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

/** A day relative to today as a UK user types it: dd/mm/yyyy. */
function ukDay(offsetDays: number): string {
  const [y, m, d] = new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** The focused control's box shows a solid outline of at least 2px (WCAG 2.2: 2.4.7, 2.4.11). */
async function expectVisibleFocus(page: Page, selector: string): Promise<void> {
  await page.locator(selector).focus();
  const outline = await page.locator(selector).evaluate((el) => {
    const box = el.closest('.fui-Input, .fui-Textarea, .fui-Select') ?? el;
    const style = getComputedStyle(box);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor, background: getComputedStyle(document.body).backgroundColor };
  });
  expect(outline.style).toBe('solid');
  expect(outline.width).toBeGreaterThanOrEqual(2);
  expect(outline.color).not.toBe('rgba(0, 0, 0, 0)');
}

/** Fills every required answer of a new Investigation Request, with two people to check. */
async function fillRequest(page: Page, caseRef: string): Promise<void> {
  await page.locator('#f-caseReference').fill(caseRef);
  await page.locator('#f-team').fill('Assessment Team North');
  await page.locator('#f-children-0-name').fill('Riley Smith');
  // Typed as a UK user types it: 12 April, whatever the browser's own date order.
  await page.locator('#f-children-0-dateOfBirth').fill('12/04/2016');
  await page.getByLabel(/Known risky behaviour/).check();
  await page.locator('#f-concernDetails').fill('Mother says she has separated from a partner known for domestic abuse; neighbours report he is living at the address.');
  await page.locator('#f-justification').fill('A check of public posts would triangulate the claimed separation. Home visits and agency checks have not settled it.');
  await page.locator('#f-subjects-0-kind').selectOption('service_user');
  await page.locator('#f-subjects-0-name').fill('Jordan Smith');
  await page.locator('#f-subjects-0-relationshipToChild').fill('Mother');
  await page.getByRole('button', { name: 'Add another person' }).click();
  await page.locator('#f-subjects-1-kind').selectOption('unknown_associate');
  await page.locator('#f-subjects-1-description').fill('Man in his thirties, shaved head, seen collecting Riley from school in a red van.');
  await page.locator('#f-period-from').fill(ukDay(-90));
  await page.locator('#f-period-to').fill(ukDay(0));
  await page.locator('#f-neededBy').fill(ukDay(14));
  await expectVisibleFocus(page, '#f-caseReference');
  await expectVisibleFocus(page, '#f-subjects-0-kind');
}

describe.each(VARIANTS)('the protocol in the tab ($name)', (variant) => {
  const problems: { page: string; violations: AxeProblem[] }[] = [];
  let shot = 0;

  /** Screenshot and axe check of the page as it stands. */
  async function check(page: Page, name: string, fullPage = true): Promise<void> {
    shot += 1;
    await page.screenshot({ path: screenshotPath(`${variant.name}-${String(shot).padStart(2, '0')}-${name}`), fullPage });
    const violations = await seriousViolations(page);
    // At Teams mobile width nothing may force sideways scrolling.
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const excess = document.documentElement.scrollWidth - width;
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > width + 1))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''} "${(e.textContent ?? '').slice(0, 40)}"`);
      return { excess, wide };
    });
    if (overflow.excess > 0) {
      violations.push({ id: 'horizontal-overflow', impact: 'serious', help: `The page is ${overflow.excess}px wider than the viewport.`, targets: overflow.wide });
    }
    if (violations.length) problems.push({ page: name, violations });
  }

  let current: Page | null = null;

  async function as(person: string, path: string): Promise<Page> {
    await current?.context().close();
    // Reduced motion: a toast fading in or out mid-check would be measured at part of its contrast.
    const context = await browser.newContext({ viewport: { width: variant.width, height: variant.height }, locale: 'en-GB', timezoneId: 'Europe/London', reducedMotion: 'reduce' });
    const page = await context.newPage();
    // Generous: jest runs other suites alongside on a small machine.
    page.setDefaultTimeout(60_000);
    current = page;
    page.on('pageerror', (error) => {
      throw error;
    });
    const sep = path.includes('?') ? '&' : '?';
    await page.goto(`${server.baseUrl}${path}${variant.theme === 'light' ? '' : `${sep}theme=${variant.theme}`}`);
    await signInAs(page, person);
    return page;
  }

  /** Opens an action's dialog from the page button, fills it, checks it and confirms. */
  async function act(page: Page, button: string, name: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>, confirm = button): Promise<void> {
    const opener = page.getByRole('button', { name: button, exact: true }).first();
    await opener.click();
    // Closed without deciding, focus is back on the button that opened it.
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.waitForFunction((el) => el === document.activeElement, await opener.elementHandle());
    await opener.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    if (fill) await fill(dialog);
    await settle(page);
    await check(page, `${name}-dialog`, false);
    await dialog.getByRole('button', { name: confirm, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // The modal hides the rest of the page from assistive technology until it has fully closed.
    await page.waitForFunction(() => !document.getElementById('root')?.hasAttribute('aria-hidden'));
    // Focus is back on the opener, or on the page heading when the action is no longer offered.
    await page.waitForFunction(() => ['BUTTON', 'H1'].includes(document.activeElement?.tagName ?? ''));
  }

  /** Lets dialog and message animations finish so screenshots and contrast checks see the final colours. */
  async function settle(page: Page): Promise<void> {
    await animationsFinished(page);
  }

  afterEach(async () => {
    // Whatever page a failure left open is photographed for diagnosis, then closed.
    if (current) {
      await current.screenshot({ path: screenshotPath(`${variant.name}-zz-last`), fullPage: true }).catch(() => undefined);
      await current.context().close();
      current = null;
    }
  });

  it('takes a request from draft to shared', async () => {
    // The originating worker: empty list, then a new request.
    let page = await as(AMELIA, '/');
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    await page.getByText(/requests?$/).first().waitFor();
    await check(page, 'requests-empty');

    await page.getByRole('link', { name: 'New request' }).click();
    await page.getByRole('heading', { name: 'New Investigation Request' }).waitFor();
    await page.getByRole('button', { name: 'Submit to team manager' }).click();
    await page.getByText(/There is a problem/).waitFor();
    await check(page, 'new-request-errors');

    await fillRequest(page, `CASE-${variant.name}-${Date.now().toString(36)}`);
    await page.getByText(/Draft saved/).waitFor({ timeout: 20_000 });
    await check(page, 'new-request-filled');
    await page.getByRole('button', { name: 'Submit to team manager' }).click();
    await page.getByRole('heading', { name: /^Request / }).waitFor();
    await page.getByText('Awaiting team manager').first().waitFor();
    const requestPath = new URL(page.url()).pathname;
    // The date of birth typed as 12/04/2016 reads back as 12 April 2016.
    await page.getByText('Riley Smith (born 12/04/2016)').first().waitFor();
    await check(page, 'request-submitted');

    // The team manager agrees.
    page = await as(TOM, '/');
    await page.getByRole('tab', { name: 'Waiting for me' }).click();
    await page.getByRole('link', { name: new RegExp(`^SMC|^[A-Z]`) }).first().waitFor();
    await check(page, 'waiting-for-me');
    await openInApp(page, `${requestPath}${variant.theme === 'light' ? '' : `?theme=${variant.theme}`}`);
    await page.getByRole('heading', { name: /^Request / }).waitFor();
    await act(page, 'Agree', 'agree', async (d) => d.getByLabel(/Supervision note/).fill('Discussed in supervision on Monday.'));
    await page.getByText('Awaiting service director').first().waitFor();

    // The service director authorises, open to the register.
    page = await as(SARAH, requestPath);
    await page.getByRole('heading', { name: /^Request / }).waitFor();
    await check(page, 'request-for-director');
    await act(page, 'Authorise', 'authorise', async (d) => d.getByLabel(/Conditions/).fill('Public posts only; no contact.'));
    await page.getByText('Authorised — open to the register').first().waitFor();

    // An access worker claims it, confirms legitimacy, searches, saves evidence and completes the log.
    page = await as(IMRAN, requestPath);
    await page.getByRole('heading', { name: /^Request / }).waitFor();
    await act(page, 'Claim', 'claim');
    await page.getByRole('link', { name: 'Open the access worker workspace' }).click();
    await page.getByRole('heading', { name: /^Workspace/ }).waitFor();
    await check(page, 'workspace-legitimacy');
    await page.getByLabel(/I will use the corporate account/).check();
    await act(page, 'Confirm legitimacy', 'confirm-legitimacy');
    await page.getByLabel(/signed in with the corporate account/).check();
    // This session searches Jordan only: the log records who each session searched.
    await page.getByRole('group', { name: 'People you will search in this session' }).getByLabel(/^Unknown associate/).uncheck();
    await page.getByRole('button', { name: 'Start search session' }).click();
    await page.getByRole('button', { name: 'Stop search session' }).waitFor();
    await page.getByRole('list', { name: 'Sessions held' }).getByText(/searched: Jordan Smith · corporate account confirmed/).waitFor();
    await page.waitForTimeout(1500);
    await page.locator('[data-testid=evidence-input]').setInputFiles([
      { name: 'profile.png', mimeType: 'image/png', buffer: PNG },
      { name: 'notes.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') },
    ]);
    const item = page.getByRole('region', { name: 'Evidence file profile.png' });
    await item.getByLabel('Person').selectOption({ label: 'Jordan Smith' });
    await item.getByLabel('Source link').fill('https://www.facebook.com/jordan.smith.example/posts/1');
    await item.getByLabel(/What it shows/).fill('Public post of 02/11 showing the former partner at the family home.');
    await page.getByText(/notes\.exe is not a screenshot/).waitFor();
    await item.getByRole('button', { name: 'Upload' }).click();
    await item.getByText(/Only information visible without being/).waitFor();
    await check(page, 'workspace-evidence-attestation-missing');
    await item.getByLabel(/I attest this was publicly visible/).check();
    await item.getByRole('button', { name: 'Upload' }).click();
    await item.getByText(/Uploaded\. SHA-256/).waitFor();
    await page.getByText('SHA-256', { exact: false }).nth(1).waitFor();

    const jordan = page.getByRole('group', { name: 'Findings: Jordan Smith' });
    await jordan.getByLabel('Profile found: public').check();
    await jordan.getByLabel('Profile link').fill('https://www.facebook.com/jordan.smith.example');
    await jordan.getByLabel(/What was seen/).fill('Posts from October show the former partner at the address.');
    const unknown = page.getByRole('group', { name: /^Findings: Unknown associate/ });
    await unknown.getByLabel('No profile found').check();
    await unknown.getByLabel(/What was seen/).fill('Could not be identified from public information.');
    await page.getByRole('button', { name: 'Propose a further person' }).click();
    await page.getByLabel(/Further person 1: description/).fill('Woman tagged in the October posts, appears to live at the address.');
    await page.getByRole('button', { name: 'Stop search session' }).click();
    await page.getByRole('button', { name: 'Start search session' }).waitFor();
    await check(page, 'workspace-searching');
    await page.getByRole('button', { name: 'Complete the log' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await settle(page);
    await check(page, 'complete-log-dialog', false);
    await dialog.getByRole('button', { name: 'Complete the log' }).click();
    await page.getByText('The log has gone to the originating worker.').first().waitFor();

    // The originating worker assesses, finalises, shares and gives feedback.
    page = await as(AMELIA, `${requestPath}/assess`);
    await page.getByRole('heading', { name: /^Assess and finalise/ }).waitFor();
    await page.locator('#f-summary').fill('Confirms the former partner is still present, contrary to what the family said.');
    await page.locator('#f-usefulPieces').fill('2');
    await page.locator('#f-uniquePieces').fill('1');
    await page.locator('#f-contribution').selectOption('considerable');
    await page.locator('#f-actionsTaken').fill('Strategy discussion held; safety plan revised.');
    await check(page, 'assess');
    await page.getByRole('button', { name: 'Save and finalise' }).click();
    const finalise = page.getByRole('dialog');
    await finalise.waitFor();
    await finalise.getByRole('button', { name: 'Finalise', exact: true }).click();
    await finalise.waitFor({ state: 'detached' });
    await page.waitForFunction(() => !document.getElementById('root')?.hasAttribute('aria-hidden'));
    await act(page, 'Share with team manager, service manager and director', 'share', undefined, 'Share');
    await page.getByText(/Shared\. The log is filed again saying with whom/).waitFor();
    await check(page, 'shared');
    await page.getByRole('link', { name: 'Give feedback on this check' }).click();
    await page.getByRole('heading', { name: /^Feedback/ }).waitFor();
    // Times used and time searching come from the sessions, shown rather than typed.
    await page.getByText(/From the search sessions: used 1 time,/).waitFor();
    await page.getByRole('button', { name: 'Save feedback' }).click();
    await page.getByText(/your feedback is saved/).waitFor();
    await check(page, 'feedback');
    await openInApp(page, `${requestPath}${variant.theme === 'light' ? '' : `?theme=${variant.theme}`}`);
    await page.getByText('Shared — to be placed on the case record').first().waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await page.getByText(/share/).first().waitFor();
    // The request and the log were filed as documents after finalising.
    await page.getByRole('heading', { name: 'Record documents' }).waitFor();
    await page.getByRole('button', { name: /^Investigation Log, version 1 \(SMC-\d{4}-\d{6}-investigation-log\.docx\)$/ }).waitFor();
    await page.getByRole('button', { name: /^Investigation Request \(/ }).waitFor();
    await check(page, 'request-shared-timeline');

    expect(problems).toEqual([]);
  });

  // Reasons, returning and editing a draft are theme-independent: checked once, in light.
  // One theme is enough for this walk: the pages it visits are the same ones checked in every theme above.
  if (variant.name === 'light') it('returns a request for changes, then declines it, always with a reason', async () => {
    problems.length = 0;
    let page = await as(AMELIA, '/new');
    await page.getByRole('heading', { name: 'New Investigation Request' }).waitFor();
    await fillRequest(page, `CASE-return-${Date.now().toString(36)}`);
    await page.getByText(/Draft saved/).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Submit to team manager' }).click();
    await page.getByText('Awaiting team manager').first().waitFor();
    const requestPath = new URL(page.url()).pathname;

    page = await as(TOM, requestPath);
    await page.getByRole('button', { name: 'Return to worker' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Return to worker' }).click();
    await dialog.getByText('Enter a reason.').waitFor();
    await settle(page);
    await check(page, 'return-without-reason', false);
    await dialog.getByLabel(/Reason/).fill('Say what else has been tried before a check.');
    await dialog.getByRole('button', { name: 'Return to worker' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Draft', { exact: true }).first().waitFor();

    page = await as(AMELIA, requestPath);
    await page.getByText('Returned to you').waitFor();
    await page.getByText('Say what else has been tried before a check.').first().waitFor();
    await check(page, 'returned');
    await page.getByRole('link', { name: 'Edit the draft' }).click();
    await page.getByRole('heading', { name: 'Investigation Request (draft)' }).waitFor();
    await page.locator('#f-justification').fill('Home visits, school and health checks have not settled whether he is living there.');
    await page.getByText(/Draft saved/).waitFor({ timeout: 20_000 });
    await check(page, 'edit-draft');
    await page.getByRole('button', { name: 'Submit to team manager' }).click();
    await page.getByText('Awaiting team manager').first().waitFor();

    page = await as(TOM, requestPath);
    await act(page, 'Decline', 'decline', async (d) => d.getByLabel(/Reason/).fill('A check would not be proportionate here.'));
    await page.getByText('Declined by team manager').first().waitFor();
    await page.getByText('Reason: A check would not be proportionate here.').waitFor();
    await check(page, 'declined');

    expect(problems).toEqual([]);
  });
});
