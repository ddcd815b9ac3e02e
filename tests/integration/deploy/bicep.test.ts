/**
 * No Bicep compiler can run here, so the template is cross-checked against the server instead:
 * every setting the server reads is set in the web app's app settings or listed in docs/deploy.md
 * as optional; every app setting is one the server (or App Service) reads; every parameter in
 * azure.parameters.json is declared in the template; secrets reach the app only as Key Vault
 * references.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const npmScripts = (): Record<string, string> => (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const bicep = read('infra/azure.bicep');

/** Settings the server reads: the keys of the zod schema in config.ts and the evidence settings. */
function serverSettings(): string[] {
  const config = read('src/server/config.ts');
  const schema = config.slice(config.indexOf('const envSchema = z.object({'), config.indexOf('\n});', config.indexOf('const envSchema')));
  const names = [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] ?? '');
  const evidence = read('src/evidence/config.ts');
  names.push(...[...evidence.matchAll(/env\.([A-Z][A-Z0-9_]+)|\(env, '([A-Z][A-Z0-9_]+)'\)|'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? ''));
  return [...new Set(names.filter(Boolean))].sort();
}

function appSettings(): Map<string, string> {
  const block = bicep.slice(bicep.indexOf('appSettings: ['), bicep.indexOf(']', bicep.indexOf('appSettings: [')));
  return new Map([...block.matchAll(/\{ name: '([A-Z0-9_]+)', value: (.+) \}/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** The names listed under "Settings the template leaves out" in the runbook. */
function documentedOptional(): string[] {
  const doc = read('docs/deploy.md');
  const start = doc.indexOf('## Settings the template leaves out');
  expect(start).toBeGreaterThan(-1);
  const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1] ?? '');
}

describe('infra/azure.bicep', () => {
  test('every setting the server reads is set by the template or documented as optional', () => {
    const set = appSettings();
    const optional = new Set(documentedOptional());
    const missing = serverSettings().filter((name) => !set.has(name) && !optional.has(name));
    expect(missing).toEqual([]);
    // Nothing is both set and called optional, and nothing optional is a setting nobody reads.
    expect([...optional].filter((name) => set.has(name))).toEqual([]);
    expect([...optional].filter((name) => !serverSettings().includes(name))).toEqual([]);
  });

  test('every app setting is read by the server or by App Service', () => {
    const platform = new Set(['SCM_DO_BUILD_DURING_DEPLOYMENT', 'WEBSITE_HEALTHCHECK_MAXPINGFAILURES']);
    const read = new Set(serverSettings());
    expect([...appSettings().keys()].filter((name) => !read.has(name) && !platform.has(name))).toEqual([]);
  });

  test('the web app: Node 22 (20 is past its end of life) on Linux, a health check that reaches the database, HTTPS only, TLS 1.2, always on, two instances or more, HOST=0.0.0.0', () => {
    expect(bicep).toContain("linuxFxVersion: 'NODE|22-lts'");
    expect(bicep).toContain("healthCheckPath: '/api/health/ready'");
    expect(bicep).toContain('httpsOnly: true');
    expect(bicep).toContain("minTlsVersion: '1.2'");
    expect(bicep).toContain('alwaysOn: true');
    expect(bicep).toMatch(/@minValue\(2\)\n(@description\([^\n]*\)\n)?param instanceCount int/);
    expect(appSettings().get('HOST')).toBe("'0.0.0.0'");
    expect(appSettings().get('NODE_ENV')).toBe("'production'");
    expect(bicep).toContain("appCommandLine: 'npm run start:prod'");
  });

  test('secrets reach the app only as Key Vault references, and are secure parameters', () => {
    const settings = appSettings();
    for (const secret of ['DATABASE_URL', 'BOT_APP_PASSWORD', 'AZURE_CLIENT_SECRET']) expect(settings.get(secret)).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=/);
    for (const param of ['botAppPassword', 'graphAppClientSecret', 'postgresAdminPassword', 'auditSigningKey']) expect(bicep).toMatch(new RegExp(`@secure\\(\\)\\n(@description\\([^\\n]*\\)\\n)?param ${param} string`));
  });

  test('the resources the runbook relies on are declared with documented API versions', () => {
    const types = [...bicep.matchAll(/^resource \w+ '([^@]+)@(\d{4}-\d{2}-\d{2})(?:-preview)?'/gm)].map((m) => `${m[1]}@${m[2]}`);
    expect(types).toEqual(
      expect.arrayContaining([
        'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31',
        'Microsoft.Web/serverfarms@2023-12-01',
        'Microsoft.Web/sites@2023-12-01',
        'Microsoft.BotService/botServices@2022-09-15',
        'Microsoft.BotService/botServices/channels@2022-09-15',
        'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01',
        'Microsoft.Network/virtualNetworks@2023-11-01',
        'Microsoft.Network/privateDnsZones@2020-06-01',
        'Microsoft.Insights/diagnosticSettings@2021-05-01',
        'Microsoft.KeyVault/vaults@2023-07-01',
        'Microsoft.KeyVault/vaults/secrets@2023-07-01',
        'Microsoft.OperationalInsights/workspaces@2022-10-01',
        'Microsoft.Insights/components@2020-02-02',
      ]),
    );
    // Each API version used is listed in the template's header, where it is documented.
    for (const type of new Set(types)) expect(bicep).toContain(type.split('@')[1] ?? '');
    expect(bicep).toContain("msaAppType: 'SingleTenant'");
    expect(bicep).toContain("channelName: 'MsTeamsChannel'");
  });

  test('PostgreSQL has no public endpoint: a delegated subnet and a private DNS zone, reached through the web app’s virtual network integration', () => {
    expect(bicep).not.toMatch(/firewallRules/);
    expect(bicep).not.toContain("'0.0.0.0', endIpAddress");
    expect(bicep).toContain("publicNetworkAccess: 'Disabled'");
    expect(bicep).toMatch(/delegatedSubnetResourceId: '\$\{vnet\.id\}\/subnets\/postgres'/);
    expect(bicep).toContain("serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'");
    expect(bicep).toMatch(/name: '\$\{resourceBaseName\}\.private\.postgres\.database\.azure\.com'/);
    expect(bicep).toContain("virtualNetworkSubnetId: '${vnet.id}/subnets/web'");
    expect(bicep).toContain("serviceName: 'Microsoft.Web/serverFarms'");
  });

  test('the web app’s, Key Vault’s and PostgreSQL’s logs reach Log Analytics', () => {
    for (const [scope, category] of [['web', 'AppServiceConsoleLogs'], ['vault', 'AuditEvent'], ['postgres', 'PostgreSQLLogs']]) {
      const settings = bicep.split(/^resource /m).filter((r) => r.includes("'Microsoft.Insights/diagnosticSettings@"));
      const setting = settings.find((r) => r.includes(`scope: ${scope}\n`)) ?? '';
      expect({ scope, workspace: setting.includes('workspaceId: logs.id'), category: setting.includes(`category: '${category}'`) }).toEqual({ scope, workspace: true, category: true });
    }
  });

  test('every parameter in azure.parameters.json is declared in the template, and every required one is given', () => {
    const parameters = Object.keys((JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, unknown> }).parameters);
    const declared = [...bicep.matchAll(/^param (\w+) \w+( =)?/gm)].map((m) => ({ name: m[1] ?? '', required: !m[2] }));
    expect(parameters.filter((p) => !declared.some((d) => d.name === p))).toEqual([]);
    expect(declared.filter((d) => d.required && !parameters.includes(d.name)).map((d) => d.name)).toEqual([]);
  });

  test('m365agents.yml deploys this template with these parameters and zip-deploys to the web app it outputs', () => {
    const yml = read('m365agents.yml');
    expect(yml).toContain('path: ./infra/azure.bicep');
    expect(yml).toContain('parameters: ./infra/azure.parameters.json');
    expect(bicep).toContain('output WEB_APP_RESOURCE_ID string');
    expect(yml).toContain('resourceId: ${{WEB_APP_RESOURCE_ID}}');
    for (const action of ['aadApp/create', 'aadApp/update', 'arm/deploy', 'teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'azureAppService/zipDeploy', 'teamsApp/publishAppPackage']) {
      expect(yml).toContain(`uses: ${action}`);
    }
    // The environment templates hold no secret values: secrets are SECRET_* in the .user files.
    for (const file of ['env/.env.dev', 'env/.env.local']) expect(read(file)).not.toMatch(/^SECRET_/m);
  });

  test('the Dockerfile builds in one stage and runs the production build in another, as a non-root user', () => {
    const docker = read('Dockerfile');
    const stages = [...docker.matchAll(/^FROM (\S+) AS (\w+)$/gm)].map((m) => m[2]);
    expect(stages).toEqual(['build', 'runtime']);
    const runtime = docker.slice(docker.indexOf('AS runtime'));
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/^USER node$/m);
    const startProd = npmScripts()['start:prod'] ?? '';
    expect(startProd).toMatch(/^node (--[\w-]+=\S+ )*dist\/src\/main\/start\.js$/);
    // The container runs what App Service runs (npm run start:prod), node as PID 1 rather than npm.
    const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1] ?? '[]';
    expect(JSON.parse(cmd) as string[]).toEqual(startProd.split(/\s+/));
  });

  test('npm start runs node with the heap the production start has', () => {
    const scripts = npmScripts();
    const heapFlags = (script: string | undefined) => (script ?? '').split(/\s+/).filter((word) => word.startsWith('--max-'));
    expect(heapFlags(scripts['start:prod'])).toEqual(['--max-semi-space-size=128']);
    expect(heapFlags(scripts.start)).toEqual(heapFlags(scripts['start:prod']));
  });
});
