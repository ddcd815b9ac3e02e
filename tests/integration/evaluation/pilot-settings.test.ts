/** Pilot settings: changed by an administrator only, audited, and the register size enforced. */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';

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
});
