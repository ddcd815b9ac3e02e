/** Directory sync settings and its schedule: what configuration is refused, and how failures back off. */
import { nextSyncDelay } from '../../../src/app/directory/schedule';
import { ConfigError, loadConfig } from '../../../src/server/config';

const TEAMS = {
  DATA_DIR: ':memory:',
  AUTH_MODE: 'teams',
  TEAMS_APP_ID: 'teams-app',
  TEAMS_APP_CLIENT_ID: 'client',
  TEAMS_ALLOWED_TENANT_IDS: 'tenant',
  BOT_APP_ID: 'bot-app',
  BOT_APP_PASSWORD: 'secret',
  BOT_TENANT_ID: 'tenant',
};
const CREDENTIALS = { AZURE_TENANT_ID: 'tenant', AZURE_CLIENT_ID: 'graph-client', AZURE_CLIENT_SECRET: 'secret' };
const GROUP = '6f1c1d43-0a55-4a8e-9b7e-1a2b3c4d5e6f';

describe('directory sync configuration', () => {
  test('role groups and bootstrap administrators are read in Teams mode', () => {
    const config = loadConfig({ ...TEAMS, ...CREDENTIALS, ROLE_GROUP_TEAM_MANAGER: GROUP, BOOTSTRAP_ADMINISTRATORS: ' ada@council.example , 11111111-2222-4333-8444-555555555555 ' });
    expect(config.directory).toMatchObject({
      groups: { team_manager: GROUP },
      bootstrapAdministrators: ['ada@council.example', '11111111-2222-4333-8444-555555555555'],
      intervalMs: 60 * 60_000,
    });
  });

  test('a group that is not an object id, missing credentials, or groups in local mode are refused by name', () => {
    expect(() => loadConfig({ ...TEAMS, ...CREDENTIALS, ROLE_GROUP_ACCESS_WORKER: 'Access workers' })).toThrow(new ConfigError('ROLE_GROUP_ACCESS_WORKER must be the object id of an Entra ID security group (a GUID).'));
    expect(() => loadConfig({ ...TEAMS, ROLE_GROUP_ACCESS_WORKER: GROUP })).toThrow(/AZURE_TENANT_ID/);
    expect(() => loadConfig({ DATA_DIR: ':memory:', ROLE_GROUP_ACCESS_WORKER: GROUP })).toThrow(/local mode uses the seeded demo directory/);
    expect(() => loadConfig({ ...TEAMS, ...CREDENTIALS, ROLE_GROUP_ACCESS_WORKER: GROUP, DIRECTORY_SYNC_INTERVAL_MINUTES: '1' })).toThrow(/DIRECTORY_SYNC_INTERVAL_MINUTES/);
  });
});

describe('sync schedule', () => {
  const options = { intervalMs: 3_600_000, firstRetryMs: 60_000 };
  test('the interval after a success; back-off doubling after failures, never beyond the interval', () => {
    expect(nextSyncDelay(0, options)).toBe(3_600_000);
    expect([1, 2, 3, 4].map((n) => nextSyncDelay(n, options))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(nextSyncDelay(10, options)).toBe(3_600_000);
  });
});
