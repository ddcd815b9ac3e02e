/**
 * `npm run playground` as shipped: the Microsoft 365 Agents Playground binary, started from the
 * repository root (where it reads .m365agentsplayground.yml) against the local bot, loopback only.
 * Headless Chromium opens its chat page; the playground then sends the bot the activities Teams
 * would, and the bot's answers come back through the playground's own connector onto the page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { createStore, type SqlStore } from '../../src/store';
import { startBotHarness, type BotHarness } from '../integration/bot/harness';
import { launchBrowser } from './support';

const ROOT = path.resolve(__dirname, '../..');

async function freePort(): Promise<number> {
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

/** Starts the playground and resolves once it says it is listening (or rejects with what it printed). */
function startPlayground(botUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/.bin/agentsplayground'), '-e', botUrl, '-c', 'msteams', '-p', String(port), '--dt'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(`Listening on ${port}`)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`The playground exited (${code}) before listening: ${output}`)));
  });
}

/** It prints "Listening" before it has read its configuration; a bad file means it never answers. */
async function answers(url: string, attempts: number): Promise<number> {
  for (let i = 0; i < attempts; i += 1) {
    const status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 0) return status;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return 0;
}

let store: SqlStore;
let bot: BotHarness;
let playground: ChildProcess | null = null;
let browser: Browser | null = null;

beforeAll(async () => {
  store = await createStore({ dataDir: ':memory:' });
  bot = await startBotHarness(store);
});
afterAll(async () => {
  await browser?.close();
  playground?.kill();
  await bot.close();
  await store.close();
});

test('the playground comes up with the shipped configuration and shows the bot’s answer', async () => {
  const port = await freePort();
  playground = await startPlayground(bot.url, port);
  expect(await answers(`http://127.0.0.1:${port}/`, 40)).toBe(200);
  const page = await (await (browser = await launchBrowser()).newContext()).newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  // Opening the chat adds the user to the conversation; the bot welcomes them with its help card.
  await page.getByText(/waiting for me/i).first().waitFor({ timeout: 60_000 });
}, 150_000);
