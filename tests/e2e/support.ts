/**
 * Browser test harness: builds the tab if needed, starts the real server on a free port with
 * a fresh data directory, and launches Debian's Chromium through playwright-core.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const ROOT = path.resolve(__dirname, '../..');
export const SCREENSHOTS = path.join(__dirname, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=en-GB'];

/** Newest modification time of the files the tab is built from. */
function newestSource(): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = statSync(entry);
    if (stat.isDirectory()) for (const name of readdirSync(entry)) visit(path.join(entry, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of ['tab/src', 'tab/index.html', 'tab/vite.config.ts', 'src/domain']) visit(path.join(ROOT, entry));
  return newest;
}

/** Builds the tab when tab/dist is missing or older than its sources, so the browser tests never run stale code. */
export function ensureTabBuilt(): void {
  const index = path.join(ROOT, 'tab/dist/index.html');
  const fresh = () => existsSync(index) && statSync(index).mtimeMs >= newestSource();
  if (fresh()) return;
  // Jest runs suites in parallel workers: one builds while the others wait for its result, so no
  // suite serves a half-written tab/dist. A lock older than any build is left from a killed run.
  const lock = path.join(ROOT, 'tab/.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (fresh()) return;
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    // tab/vite.config.ts forces a production build even under jest's NODE_ENV=test.
    if (!fresh()) execFileSync('npx', ['vite', 'build', '--config', 'tab/vite.config.ts'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One health probe without keep-alive, so no socket outlives the test run. */
function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    probe.on('error', () => resolve(false));
    probe.setTimeout(2000, () => probe.destroy());
  });
}

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/** `extraEnv` adds settings, e.g. SharePoint pointed at a stand-in. */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'smc-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...extraEnv };
  const child: ChildProcess = spawn('npx', ['tsx', 'src/main/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  // Generous: tsx compiles the server on first start, and a shared CI machine may be busy.
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}):\n${output.slice(-3000)}`);
    if (await healthy(`${baseUrl}/api/health`)) break;
    if (Date.now() > deadline) {
      // Its process group (npx, tsx and node) must not outlive the failed test.
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      throw new Error(`The server did not become healthy:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    async stop() {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        // The process group: npx, tsx and node.
        process.kill(-child.pid, 'SIGTERM');
        // unref: a finished wait must not keep jest alive for the rest of the grace period.
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
        if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package.`);
  // The locale decides how native date inputs show dates: dd/mm/yyyy as a UK user sees them.
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, env: { ...process.env, LANG: 'en_GB.UTF-8', LANGUAGE: 'en_GB' } });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}

export interface AxeProblem {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Tabster (Fluent UI's focus manager) adds aria-hidden focus "bumpers" that hand focus on at
 * once; axe's aria-hidden-focus flags them. Fluent and Accessibility Insights treat this as a
 * known false positive (microsoft/tabster#288), so only those nodes are set aside.
 */
const isTabsterBumper = (ruleId: string, html: string): boolean => ruleId === 'aria-hidden-focus' && html.includes('data-tabster-dummy');

/** Serious and critical axe violations on the page as it is now. */
/**
 * Waits for the page's running finite animations and transitions (a toast fading in, a dialog
 * closing), so screenshots and contrast checks see the final colours however busy the machine is.
 * Endless ones (a spinner) are not waited for, and no wait outlasts five seconds.
 */
export async function animationsFinished(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const finite = document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
    await Promise.race([Promise.all(finite.map((a) => a.finished.catch(() => undefined))), new Promise((resolve) => setTimeout(resolve, 5000))]);
  });
}

export async function seriousViolations(page: Page): Promise<AxeProblem[]> {
  await animationsFinished(page);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isTabsterBumper(v.id, n.html)) }))
    .filter((v) => v.nodes.length > 0)
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`) }));
}

/**
 * Signs in as one of the demo people and waits until the tab is signed in. Not until their name
 * shows: the sign-in page lists it too, so a test could go on while the tab was still signing in,
 * and an address it then opened (openInApp) could land before the tab's router was listening.
 */
export async function signInAs(page: Page, person: string): Promise<void> {
  await page.getByRole('button', { name: `Sign in as ${person}` }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * Goes to a path inside the signed-in tab without reloading it, as a link in the tab does: the
 * sign-in token lives only in the page's memory, so a reload signs the person out.
 */
export async function openInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}
