/** The administration endpoints: the directory and its sync, the access worker register. Administrators only. */
import { startApi, type ApiHarness } from '../../support/api-server';

describe('administration', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('PostgreSQL');
  });
  afterAll(async () => api.close());

  test('everyone but an administrator is refused, and nothing changes', async () => {
    const t = await api.tokens('amelia.hart', 'grace.lee', 'sarah.mitchell');
    for (const token of Object.values(t)) {
      expect((await api.call('POST', '/api/admin/directory/sync', { token })).status).toBe(403);
      expect((await api.call('GET', '/api/admin/directory', { token })).status).toBe(403);
      expect((await api.call('GET', '/api/admin/register', { token })).status).toBe(403);
      expect((await api.call('PUT', '/api/admin/register/people/imran.malik', { token, body: { trainedOn: null, authorisedUntil: null } })).status).toBe(403);
      expect((await api.call('PUT', '/api/admin/register/limit', { token, body: { limit: 9 } })).status).toBe(403);
    }
    expect((await api.call('POST', '/api/admin/directory/sync')).status).toBe(401);
    const admin = await api.token('nina.shaw');
    const directory = await api.call('GET', '/api/admin/directory', { token: admin });
    expect(directory.body.lastSync).toBeNull();
  });

  test('an administrator syncs now (local mode: the demo directory, nothing to change) and sees the last sync', async () => {
    const admin = await api.token('nina.shaw');
    const run = await api.call('POST', '/api/admin/directory/sync', { token: admin });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'succeeded', trigger: 'on_demand', requestedBy: 'nina.shaw', added: 0, changed: 0, removed: 0 });
    const directory = await api.call('GET', '/api/admin/directory', { token: admin });
    expect(directory.body).toMatchObject({ lastSync: { id: run.body.id }, failuresSinceLastSuccess: 0 });
    expect(directory.body.people).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'amelia.hart', roles: ['social_worker'], manager: 'Tom Reid' })]));
  });

  test('the register: dates edited and audited, bad dates named, the limit enforced', async () => {
    const admin = await api.token('nina.shaw');
    const register = await api.call('GET', '/api/admin/register', { token: admin });
    expect(register.body).toMatchObject({ limit: 6, authorised: 6 });

    const bad = await api.call('PUT', '/api/admin/register/people/imran.malik', { token: admin, body: { trainedOn: '2026-09-01', authorisedUntil: '2026-02-30' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields).toHaveProperty('authorisedUntil');
    const backwards = await api.call('PUT', '/api/admin/register/people/imran.malik', { token: admin, body: { trainedOn: '2026-09-01', authorisedUntil: '2026-08-01' } });
    expect(backwards.status).toBe(400);
    expect((await api.call('PUT', '/api/admin/register/people/amelia.hart', { token: admin, body: { trainedOn: null, authorisedUntil: null } })).status).toBe(404);

    const ended = await api.call('PUT', '/api/admin/register/people/imran.malik', { token: admin, body: { trainedOn: '2026-09-01', authorisedUntil: '2026-10-01' } });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ authorised: 5, entries: expect.arrayContaining([expect.objectContaining({ id: 'imran.malik', status: 'ended' })]) });

    expect((await api.call('PUT', '/api/admin/register/limit', { token: admin, body: { limit: 5 } })).body).toMatchObject({ limit: 5 });
    // One limit: the pilot settings show the same register size.
    expect((await api.call('GET', '/api/pilot/settings', { token: admin })).body).toMatchObject({ registerSize: 5 });
    const overLimit = await api.call('PUT', '/api/admin/register/people/imran.malik', { token: admin, body: { trainedOn: '2026-09-01', authorisedUntil: '2027-10-01' } });
    expect(overLimit.status).toBe(409);
    expect(overLimit.body.error?.message).toMatch(/limit of 5/);
    expect((await api.call('PUT', '/api/admin/register/limit', { token: admin, body: { limit: 0 } })).status).toBe(400);

    const audit = await api.server.store.db.selectFrom('audit_entries').select(['action', 'actor_id']).where('action', 'in', ['register_entry_changed', 'register_limit_changed']).orderBy('position').execute();
    expect(audit).toEqual([
      { action: 'register_entry_changed', actor_id: 'nina.shaw' },
      { action: 'register_limit_changed', actor_id: 'nina.shaw' },
    ]);
  });

  test('the register is of trained staff: training not recorded, or recorded for a later date, is not an authorised place', async () => {
    const admin = await api.token('nina.shaw');
    const before = (await api.call('GET', '/api/admin/register', { token: admin })).body as { authorised: number };
    const later = await api.call('PUT', '/api/admin/register/people/liam.doyle', { token: admin, body: { trainedOn: '2099-06-01', authorisedUntil: '2099-12-01' } });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ authorised: before.authorised - 1, entries: expect.arrayContaining([expect.objectContaining({ id: 'liam.doyle', status: 'not_trained' })]) });
    const none = await api.call('PUT', '/api/admin/register/people/liam.doyle', { token: admin, body: { trainedOn: null, authorisedUntil: null } });
    expect(none.body).toMatchObject({ authorised: before.authorised - 1, entries: expect.arrayContaining([expect.objectContaining({ id: 'liam.doyle', status: 'not_trained' })]) });
    // Liam sees no request waiting for an access worker while untrained.
    const liam = await api.token('liam.doyle');
    expect((await api.call('GET', '/api/me', { token: liam })).status).toBe(200);
    const waiting = await api.call('GET', '/api/requests?waiting=true', { token: liam });
    expect(waiting.body).toMatchObject({ items: [] });
    const back = await api.call('PUT', '/api/admin/register/people/liam.doyle', { token: admin, body: { trainedOn: '2026-09-01', authorisedUntil: '2027-09-01' } });
    expect(back.body).toMatchObject({ authorised: before.authorised, entries: expect.arrayContaining([expect.objectContaining({ id: 'liam.doyle', status: 'authorised' })]) });
  });
});
