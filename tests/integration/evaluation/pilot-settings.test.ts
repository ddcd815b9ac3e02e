/** Pilot settings: changed by an administrator only, audited, and the register size enforced. */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { loadConfig } from '../../../src/server/config';
import { requestBody } from '../api/helpers';

describe.each(BACKENDS)('pilot settings on %s', (backend) => {
  let api: ApiHarness;
  const now = new Date('2026-11-30T10:00:00Z');
  beforeAll(async () => {
    api = await startApi(backend, { clock: { now: () => now } });
  });
  afterAll(async () => api.close());

  test('six months, Facebook and six access workers until an administrator changes them', async () => {
    const t = await api.tokens('nina.shaw', 'grace.lee');
    expect((await api.call('GET', '/api/pilot/settings', { token: t['grace.lee'] })).body).toEqual({
      startDate: '2026-11-30',
      lengthMonths: 6,
      platforms: ['facebook'],
      registerSize: 6,
      endDate: '2027-05-29',
    });
    const refused = await api.call('PUT', '/api/pilot/settings', { token: t['grace.lee'], body: { startDate: '2026-09-01', lengthMonths: 6, platforms: ['facebook'], registerSize: 7 } });
    expect(refused.status).toBe(403);
    const bad = await api.call('PUT', '/api/pilot/settings', { token: t['nina.shaw'], body: { startDate: '2026-02-30', lengthMonths: 0, platforms: [], registerSize: 6 } });
    expect(Object.keys(bad.body.error?.fields ?? {}).sort()).toEqual(['lengthMonths', 'platforms', 'startDate']);
    const saved = await api.call('PUT', '/api/pilot/settings', { token: t['nina.shaw'], body: { startDate: '2026-09-01', lengthMonths: 6, platforms: ['facebook', 'instagram'], registerSize: 6 } });
    expect(saved.body).toEqual({ startDate: '2026-09-01', lengthMonths: 6, platforms: ['facebook', 'instagram'], registerSize: 6, endDate: '2027-02-28' });
    const audit = await api.server.store.db.selectFrom('audit_entries').select(['action', 'actor_id']).where('action', '=', 'update_pilot_settings').execute();
    expect(audit).toEqual([{ action: 'update_pilot_settings', actor_id: 'nina.shaw' }]);
  });

  test('the platforms in scope have one source: PILOT_PLATFORMS only seeds them until an administrator saves the pilot settings', async () => {
    const seeded = await startApi(backend, { clock: { now: () => now }, env: { PILOT_PLATFORMS: 'instagram.com,x' } });
    try {
      const t = await seeded.tokens('nina.shaw', 'amelia.hart');
      const draft = (profileUrl: string) => seeded.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody({ subjects: [{ kind: 'service_user', name: 'Jane Doe', profileUrl }] }) });
      expect((await seeded.call('GET', '/api/pilot/settings', { token: t['amelia.hart'] })).body).toMatchObject({ platforms: ['instagram', 'x'] });
      expect((await draft('https://www.instagram.com/jane.doe')).status).toBe(201);
      expect((await draft('https://www.facebook.com/jane.doe')).body.error).toMatchObject({ rule: 'pilot_platforms' });

      await seeded.call('PUT', '/api/pilot/settings', { token: t['nina.shaw'], body: { startDate: '2026-09-01', lengthMonths: 6, platforms: ['facebook'], registerSize: 6 } });
      expect((await draft('https://www.facebook.com/jane.doe')).status).toBe(201);
      expect((await draft('https://www.instagram.com/jane.doe')).body.error).toMatchObject({ rule: 'pilot_platforms', fields: { 'subjects.0.profileUrl': 'Outside the pilot’s platforms (Facebook: facebook.com, fb.com, fb.me).' } });
      // Changing the register's limit keeps the saved platforms.
      await seeded.call('PUT', '/api/admin/register/limit', { token: t['nina.shaw'], body: { limit: 5 } });
      expect((await seeded.call('GET', '/api/pilot/settings', { token: t['amelia.hart'] })).body).toMatchObject({ platforms: ['facebook'], registerSize: 5 });
    } finally {
      await seeded.close();
    }
  });
});

test('PILOT_PLATFORMS takes platform names or their host names, and refuses others by name', () => {
  expect(loadConfig({ DATA_DIR: ':memory:' }).pilotPlatforms).toEqual(['facebook']);
  expect(loadConfig({ DATA_DIR: ':memory:', PILOT_PLATFORMS: 'facebook.com,fb.com,fb.me' }).pilotPlatforms).toEqual(['facebook']);
  expect(loadConfig({ DATA_DIR: ':memory:', PILOT_PLATFORMS: 'Instagram, tiktok.com' }).pilotPlatforms).toEqual(['instagram', 'tiktok']);
  expect(() => loadConfig({ DATA_DIR: ':memory:', PILOT_PLATFORMS: 'myspace.com' })).toThrow(/PILOT_PLATFORMS.*not known: myspace\.com/s);
});
