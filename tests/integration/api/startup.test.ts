/** Local sign-in exists only in local mode and can never start in production. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildServer } from '../../../src/main/server';
import { ConfigError, loadConfig } from '../../../src/server/config';
import { createStore } from '../../../src/store';
import { auditSigningKey } from '../../support/audit-key';

const run = promisify(execFile);

/** Real HTTP against a listening server (light-my-request's injection is not used anywhere). */
async function listen(server: Awaited<ReturnType<typeof buildServer>>) {
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return async (method: string, path: string, init: { headers?: Record<string, string>; json?: unknown } = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    return { statusCode: response.status, headers: Object.fromEntries(response.headers), json: <T>() => response.json() as Promise<T> };
  };
}

async function start(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return run('npx', ['tsx', 'src/main/start.ts'], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...env }, timeout: 60_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

/** A complete Teams mode for a single-tenant bot. */
const AUDIT_KEY = auditSigningKey();

const TEAMS = {
  AUTH_MODE: 'teams',
  TEAMS_APP_ID: 'teams-app',
  TEAMS_APP_CLIENT_ID: 'client',
  TEAMS_ALLOWED_TENANT_IDS: 'tenant',
  BOT_APP_ID: 'bot-app',
  BOT_APP_PASSWORD: 'secret',
  BOT_TENANT_ID: 'tenant',
};

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration refuses what cannot work', () => {
  test.each(['TEAMS_APP_ID', 'BOT_APP_ID', 'BOT_APP_PASSWORD', 'BOT_TENANT_ID', 'TEAMS_APP_CLIENT_ID', 'TEAMS_ALLOWED_TENANT_IDS'])('Teams mode without %s names it', (name) => {
    const env: Record<string, string> = { ...TEAMS };
    delete env[name];
    expect(refusal(env)).toBe(`AUTH_MODE=teams needs ${name}.`);
  });

  test('a bot with a user-assigned managed identity needs its client id, not a secret or tenant', () => {
    const { BOT_APP_PASSWORD: _password, BOT_TENANT_ID: _tenant, BOT_APP_ID: _id, ...rest } = TEAMS;
    expect(refusal({ ...rest, BOT_APP_TYPE: 'UserAssignedMSI' })).toBe('AUTH_MODE=teams needs BOT_APP_ID (the managed identity’s client id).');
    const config = loadConfig({ DATA_DIR: ':memory:', ...rest, BOT_APP_TYPE: 'UserAssignedMSI', BOT_APP_ID: 'identity-client-id' });
    expect(config.bot).toEqual({ appType: 'UserAssignedMSI', appId: 'identity-client-id' });
  });

  test('an unknown bot type is refused by name', () => {
    expect(refusal({ ...TEAMS, BOT_APP_TYPE: 'MultiTenant' })).toMatch(/^BOT_APP_TYPE: /);
  });

  test('production needs DATABASE_URL', () => {
    expect(refusal({ ...TEAMS, NODE_ENV: 'production', EVIDENCE_STORE: 'local', AUDIT_SIGNING_KEY: AUDIT_KEY })).toBe('NODE_ENV=production needs DATABASE_URL: the embedded database is for one machine only.');
    expect(loadConfig({ DATA_DIR: ':memory:', ...TEAMS, NODE_ENV: 'production', DATABASE_URL: 'postgres://db/smc', EVIDENCE_STORE: 'local', AUDIT_SIGNING_KEY: AUDIT_KEY }).production).toBe(true);
  });

  test('production needs the evidence store chosen: a forgotten EVIDENCE_STORE does not put evidence on the server\'s disk', () => {
    const production = { DATA_DIR: ':memory:', ...TEAMS, NODE_ENV: 'production', DATABASE_URL: 'postgres://db/smc', AUDIT_SIGNING_KEY: AUDIT_KEY };
    expect(refusal(production)).toBe(
      "NODE_ENV=production needs EVIDENCE_STORE=sharepoint and its SHAREPOINT_* settings (docs/sharepoint.md), or EVIDENCE_STORE=local to keep evidence on this server's disk deliberately.",
    );
    expect(refusal({ ...production, EVIDENCE_STORE: ' ' })).toMatch(/^NODE_ENV=production needs EVIDENCE_STORE=sharepoint/);
    // Chosen, the server's disk is allowed, and said loudly at every start.
    const local = loadConfig({ ...production, EVIDENCE_STORE: 'local' });
    expect(local.evidence.kind).toBe('local');
    expect(local.warnings).toEqual([expect.stringMatching(/^EVIDENCE IS KEPT ON THIS SERVER'S DISK \(.+\), NOT IN THE RESTRICTED SHAREPOINT LIBRARY/)]);
    // Outside production the local default stays, without a warning.
    expect(loadConfig({ DATA_DIR: ':memory:', ...TEAMS }).warnings).toEqual([]);
  });

  test('a production start missing the database, Teams and evidence settings names them all at once, not one per attempt', () => {
    const { BOT_TENANT_ID: _tenant, TEAMS_APP_ID: _app, ...rest } = TEAMS;
    expect(refusal({ ...rest, NODE_ENV: 'production' })).toBe(
      "NODE_ENV=production needs DATABASE_URL: the embedded database is for one machine only. AUTH_MODE=teams needs TEAMS_APP_ID, BOT_TENANT_ID. NODE_ENV=production needs EVIDENCE_STORE=sharepoint and its SHAREPOINT_* settings (docs/sharepoint.md), or EVIDENCE_STORE=local to keep evidence on this server's disk deliberately. NODE_ENV=production needs AUDIT_SIGNING_KEY, the key that signs the audit checkpoints (docs/audit.md).",
    );
  });

  test('production needs the audit signing key: unsigned checkpoints would prove nothing', () => {
    const production = { DATA_DIR: ':memory:', ...TEAMS, NODE_ENV: 'production', DATABASE_URL: 'postgres://db/smc', EVIDENCE_STORE: 'local' };
    expect(refusal(production)).toBe('NODE_ENV=production needs AUDIT_SIGNING_KEY, the key that signs the audit checkpoints (docs/audit.md).');
    expect(loadConfig({ ...production, AUDIT_SIGNING_KEY: AUDIT_KEY }).production).toBe(true);
  });

  test('NODE_ENV is compared without regard to case', () => {
    expect(refusal({ ...TEAMS, NODE_ENV: 'Production' })).toMatch(/NODE_ENV=production needs DATABASE_URL/);
    expect(refusal({ NODE_ENV: 'PRODUCTION', AUTH_MODE: 'local' })).toMatch(/^Local sign-in cannot be used when NODE_ENV=PRODUCTION/);
  });

  test.each(['prod', 'staging', 'Production'])('local sign-in is refused when NODE_ENV=%s, and Teams mode is the default', (nodeEnv) => {
    expect(refusal({ NODE_ENV: nodeEnv, AUTH_MODE: 'local', DATABASE_URL: 'postgres://db/smc' })).toMatch(/allowed only when NODE_ENV is unset, development or test/);
    expect(refusal({ NODE_ENV: nodeEnv, DATABASE_URL: 'postgres://db/smc' })).toMatch(/^AUTH_MODE=teams needs /);
  });

  test.each([undefined, 'development', 'test', 'Development'])('local sign-in is allowed when NODE_ENV=%s', (nodeEnv) => {
    const config = loadConfig({ DATA_DIR: ':memory:', ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}) });
    expect(config.localSignIn).toBe(true);
    expect(config.warnings).toEqual([]);
  });

  test('local mode on a host other people can reach warns loudly', () => {
    const config = loadConfig({ DATA_DIR: ':memory:', HOST: '0.0.0.0' });
    expect(config.localSignIn).toBe(true);
    expect(config.warnings).toEqual([expect.stringContaining('LOCAL SIGN-IN IS LISTENING ON 0.0.0.0')]);
    expect(loadConfig({ DATA_DIR: ':memory:', HOST: 'localhost' }).warnings).toEqual([]);
    expect(loadConfig({ DATA_DIR: ':memory:', ...TEAMS, HOST: '0.0.0.0' }).warnings).toEqual([]);
  });
});

describe('start-up', () => {
  test('refuses local sign-in when NODE_ENV=production', async () => {
    const result = await start({ NODE_ENV: 'production', AUTH_MODE: 'local' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Local sign-in cannot be used when NODE_ENV=production');
  });

  test('refuses to start in production without Teams sign-in settings, naming each one', async () => {
    const result = await start({ NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('AUTH_MODE=teams needs TEAMS_APP_ID, TEAMS_APP_CLIENT_ID, TEAMS_ALLOWED_TENANT_IDS, BOT_APP_ID, BOT_APP_PASSWORD, BOT_TENANT_ID.');
  });

  test('in Teams mode the dev sign-in endpoints do not exist and local tokens are refused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smc-teams-'));
    const config = loadConfig({ DATA_DIR: dataDir, ...TEAMS, LOG_LEVEL: 'silent' });
    const server = await buildServer(config, { store: await createStore({ dataDir: ':memory:' }) });
    try {
      const call = await listen(server);
      const users = await call('GET', '/api/dev/users');
      expect(users.statusCode).toBe(404);
      // The tab opened in a plain browser offers the Teams deep link instead of a sign-in.
      expect(await (await call('GET', '/api/host')).json()).toEqual({ localSignIn: false, teamsTabLink: 'https://teams.microsoft.com/l/entity/teams-app/requests' });
      const token = await call('POST', '/api/dev/token', { json: { userId: 'amelia.hart' } });
      expect(token.statusCode).toBe(404);
      const hs256 = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbWVsaWEuaGFydCJ9.c2ln';
      const me = await call('GET', '/api/me', { headers: { authorization: `Bearer ${hs256}` } });
      expect(me.statusCode).toBe(401);
      expect(await me.json()).toEqual({ error: { code: 'unauthenticated', message: 'This kind of token is not accepted here.' } });
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('security headers limit framing to Teams hosts; the OpenAPI document describes the contract', async () => {
    const server = await buildServer(loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent' }), { store: await createStore({ dataDir: ':memory:' }) });
    try {
      const call = await listen(server);
      const health = await call('GET', '/api/health');
      expect(await health.json()).toEqual({ status: 'ok' });
      const frameAncestors = /frame-ancestors ([^;]+)/.exec(String(health.headers['content-security-policy']))?.[1]?.split(' ') ?? [];
      expect(frameAncestors).toEqual(expect.arrayContaining(["'self'", 'https://teams.microsoft.com', 'https://*.teams.microsoft.com']));
      expect(health.headers['x-content-type-options']).toBe('nosniff');
      const doc = await (await call('GET', '/api/openapi.json')).json<{ openapi: string; paths: Record<string, unknown> }>();
      expect(doc.openapi).toBe('3.0.3');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/requests', '/api/requests/{id}/actions/{action}', '/api/requests/{id}/evidence', '/api/requests/{id}/audit']));
    } finally {
      await server.close();
    }
  });
});
