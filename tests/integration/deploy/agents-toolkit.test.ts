/**
 * What the Microsoft 365 Agents Toolkit does with the project's files, checked without running it:
 * - it reads env/.env.{env} a line at a time and does not expand ${{…}} inside those files;
 * - it fills a ${{NAME}} placeholder only when NAME has a value, and stops ("missing environment
 *   variables") when any is left; so every placeholder must name a variable the env file holds or
 *   an earlier step writes (`writeToEnvironmentFile`, or the Bicep outputs arm/deploy writes back);
 * - `infra/azure.parameters.json` is read by arm/deploy itself, before its own outputs exist.
 * Also: the SSO registration pre-authorises the seven Microsoft clients docs/tenant-setup.md lists,
 * and the server starts with the settings m365agents.local.yml writes to .localConfigs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnvFile } from '../../../scripts/package-app';
import { loadConfig } from '../../../src/server/config';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1] ?? ''))].sort();
/** Variables the toolkit writes itself: the environment's name, and the scope id aadApp/create makes. */
const TOOLKIT = ['TEAMSFX_ENV', 'AAD_APP_ACCESS_AS_USER_PERMISSION_ID'];

/** Each step of a lifecycle stage, with the variables it writes. */
function steps(yml: string, stage: 'provision' | 'deploy'): { uses: string; text: string; writes: string[] }[] {
  const start = yml.indexOf(`\n${stage}:\n`);
  const end = yml.slice(start + 2).search(/\n[a-z]+:\n/);
  const section = end < 0 ? yml.slice(start) : yml.slice(start, start + 2 + end);
  return section
    .split(/\n {2}- uses: /)
    .slice(1)
    .map((text) => {
      const written = /writeToEnvironmentFile:\n((?: {6}\w+: [A-Z0-9_]+\n?)+)/.exec(text)?.[1] ?? '';
      return { uses: text.split('\n')[0]?.trim() ?? '', text, writes: [...written.matchAll(/: ([A-Z0-9_]+)/g)].map((m) => m[1] ?? '') };
    });
}

const bicepOutputs = [...read('infra/azure.bicep').matchAll(/^output ([A-Z0-9_]+) /gm)].map((m) => m[1] ?? '');

describe.each([
  ['m365agents.yml', 'env/.env.dev'],
  ['m365agents.local.yml', 'env/.env.local'],
])('%s with %s', (ymlFile, envFile) => {
  const env = parseEnvFile(read(envFile));
  const yml = read(ymlFile);

  test('the env file expands nothing (the toolkit would keep ${{…}} as text) and names the publisher', () => {
    expect(Object.entries(env).filter(([, value]) => value.includes('${{'))).toEqual([]);
    expect(env.DEVELOPER_NAME?.trim()).toBeTruthy();
  });

  test('every placeholder a step fills names a variable the env file holds or an earlier step writes', () => {
    const known = new Set([...Object.keys(env), ...TOOLKIT]);
    const unknown: string[] = [];
    const provision = steps(yml, 'provision');
    for (const step of [...provision, ...steps(yml, 'deploy')]) {
      const files = [...step.text.matchAll(/(?:manifestPath|parameters): (\.\/\S+)/g)].map((m) => m[1] ?? '');
      const used = [...placeholders(step.text), ...files.flatMap((f) => placeholders(read(f)))];
      for (const name of used) if (!known.has(name) && !name.startsWith('SECRET_')) unknown.push(`${step.uses}: ${name}`);
      for (const name of step.writes) known.add(name);
      if (step.uses === 'arm/deploy') for (const name of bicepOutputs) known.add(name);
    }
    expect(unknown).toEqual([]);
  });

  test('the manifests name only variables the toolkit writes, not the package script’s own', () => {
    for (const file of ['appPackage/manifest.json', 'aad.manifest.json']) {
      expect({ file, names: placeholders(read(file)).filter((n) => ['BOT_APP_ID', 'TEAMS_APP_CLIENT_ID'].includes(n)) }).toEqual({ file, names: [] });
    }
  });
});

test('the Bicep parameters name no output of the same deployment and nothing optional left empty', () => {
  const used = placeholders(read('infra/azure.parameters.json'));
  expect(used.filter((n) => bicepOutputs.includes(n))).toEqual([]);
  // Optional (docs/deploy.md): empty by default, and an empty value leaves its placeholder unfilled.
  expect(used).not.toContain('TEAMS_APP_CATALOG_ID');
  // The manifests' domain comes from the deployment that creates the web app.
  expect(bicepOutputs).toContain('APP_DOMAIN');
});

test('the SSO registration pre-authorises the seven Microsoft clients docs/tenant-setup.md lists', () => {
  const manifest = JSON.parse(read('aad.manifest.json')) as { preAuthorizedApplications: { appId: string; permissionIds: string[] }[]; replyUrlsWithType: unknown[] };
  const documented = [...read('docs/tenant-setup.md').matchAll(/^ {3}- `([0-9a-f-]{36})` \(/gm)].map((m) => m[1] ?? '');
  expect(documented).toHaveLength(7);
  expect(manifest.preAuthorizedApplications.map((a) => a.appId).sort()).toEqual([...documented].sort());
  for (const app of manifest.preAuthorizedApplications) expect(app.permissionIds).toEqual(['${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}']);
  // The tab signs in with getAuthToken only: no redirect page to register.
  expect(manifest.replyUrlsWithType).toEqual([]);
});

test('the server starts in Teams mode with what m365agents.local.yml writes to .localConfigs', () => {
  const yml = read('m365agents.local.yml');
  const block = yml.slice(yml.indexOf('target: ./.localConfigs'));
  const envs = Object.fromEntries(
    [...block.matchAll(/^ {8}([A-Z0-9_]+): (.+)$/gm)].map((m) => [m[1] ?? '', (m[2] ?? '').replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_w, name: string) => (name.endsWith('ID') ? '11111111-2222-4333-8444-555555555555' : `value-of-${name.toLowerCase()}`))]),
  );
  expect(envs.AUTH_MODE).toBe('teams');
  expect(() => loadConfig({ ...envs, DATA_DIR: ':memory:', PUBLIC_URL: 'https://tunnel.example' })).not.toThrow();
});
