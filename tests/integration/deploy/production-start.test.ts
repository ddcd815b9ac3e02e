/**
 * The production build as App Service runs it: `npm run build`'s server output started with
 * `npm run start:prod`, NODE_ENV=production and the Teams settings, on PostgreSQL. It answers
 * health and readiness, and loads neither tsx nor vite (dev dependencies a production install
 * leaves out).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { auditSigningKey } from '../../support/audit-key';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${output()}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('production start', () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    await run('npm', ['run', 'build:server'], { cwd: ROOT, timeout: 600_000 });
    database = await freshDatabase('PostgreSQL');
    dir = mkdtempSync(path.join(tmpdir(), 'smc-prod-'));
  }, 660_000);

  afterAll(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('npm run start:prod serves health and readiness without tsx or vite', async () => {
    // Generous: the process is started from cold, while other suites share the machine.
    const port = await freePort();
    const modules = path.join(dir, 'modules.txt');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // What npm itself may need: the environment it runs in, less NODE_OPTIONS (jest's own flags).
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('npm_config_'))),
      NODE_ENV: 'production',
      NODE_OPTIONS: `--require ${path.join(ROOT, 'tests/support/record-modules.cjs')}`,
      SMC_LOADED_MODULES_FILE: modules,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      DATABASE_URL: (database.env as { DATABASE_URL: string }).DATABASE_URL,
      AUTH_MODE: 'teams',
      TEAMS_APP_ID: '99999999-2222-3333-4444-555555555555',
      TEAMS_APP_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      TEAMS_ALLOWED_TENANT_IDS: '99999999-8888-7777-6666-555555555555',
      BOT_APP_ID: '22222222-3333-4444-5555-666666666666',
      BOT_APP_PASSWORD: 'not-a-real-secret',
      BOT_TENANT_ID: '99999999-8888-7777-6666-555555555555',
      PUBLIC_URL: 'https://smc.example.org',
      // SharePoint cannot be reached here; the server's disk, chosen explicitly as production requires.
      EVIDENCE_STORE: 'local',
      AUDIT_SIGNING_KEY: auditSigningKey(),
      LOG_LEVEL: 'warn',
    };
    let output = '';
    // Its own process group, so that the stop signal reaches node itself and not only npm and sh.
    const child = spawn('npm', ['run', '--silent', 'start:prod'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/api/health`, child, () => output);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', notifications: { pending: 0, failed: 0 }, uploads: { pending: 0, failed: 0 } });
      // Local sign-in is not there in production.
      expect((await fetch(`http://127.0.0.1:${port}/api/dev/users`)).status).toBe(404);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-(child.pid ?? 0), 'SIGTERM');
        await exited;
      }
    }
    // node may finish after npm, its parent.
    for (let waited = 0; !existsSync(modules) && waited < 20_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!existsSync(modules)) throw new Error(`the server wrote no module list: ${output}`);
    const loaded = readFileSync(modules, 'utf8').split('\n');
    expect(loaded).toContain(path.join(ROOT, 'dist/src/main/start.js'));
    expect(loaded.filter((m) => /[\\/]node_modules[\\/](tsx|vite|@vitejs|esbuild)[\\/]/.test(m))).toEqual([]);
    expect(loaded.filter((m) => m.startsWith(path.join(ROOT, 'src')) || m.startsWith(path.join(ROOT, 'bot')))).toEqual([]);
  }, 180_000);
});
