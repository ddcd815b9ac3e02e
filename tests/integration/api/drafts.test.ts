/**
 * Drafts kept on the server: saved with answers still missing, listed under the worker's own
 * requests, submitted only when complete, and discarded with the audit trail keeping that they existed.
 */
import { sql } from 'kysely';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';

interface ListedRequest {
  id: string;
  state: string;
}

describe.each(BACKENDS)('drafts on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(backend);
  }, 180_000);
  afterAll(async () => api.close());

  const mine = async (token: string) => ((await api.call('GET', '/api/requests?mine=true', { token })).body as unknown as { items: ListedRequest[] }).items;

  test('an unfinished form is saved as a draft, listed as mine, and goes to the team manager only complete', async () => {
    const osw = await api.token('ben.okafor');
    const created = await api.call('POST', '/api/requests', { token: osw, body: { caseReference: 'CM-2001', children: [{ name: 'Child B' }], period: { from: '14/03/2026' } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', version: 1, caseReference: 'CM-2001', concernDetails: '', subjects: [], period: { from: '2026-03-14', to: '' } });
    expect(created.body.abilities).toContain('discard-draft');
    const id = created.body.id as string;
    expect((await mine(osw)).map((r) => r.id)).toContain(id);

    const edited = await api.call('PUT', `/api/requests/${id}`, { token: osw, body: { caseReference: 'CM-2001', concernDetails: 'Reports of drinking', subjects: [{ kind: '' }], version: 1 } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, concernDetails: 'Reports of drinking', children: [] });
    expect((edited.body.subjects as { kind?: string }[])[0]?.kind).toBeUndefined();

    const refused = await api.call('POST', `/api/requests/${id}/actions/submit`, { token: osw, body: { version: 2 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.fields).toMatchObject({
      children: 'Add at least one child.',
      concernCategories: 'Choose at least one concern.',
      justification: 'Enter why a check is needed and proportionate.',
      'subjects.0.kind': 'Choose what kind of person this is.',
      'period.from': expect.stringContaining('real date'),
      neededBy: expect.stringContaining('real date'),
    });
    expect((await api.call('GET', `/api/requests/${id}`, { token: osw })).body).toMatchObject({ state: 'draft', version: 2 });

    const completed = await api.call('PUT', `/api/requests/${id}`, { token: osw, body: { ...requestBody(), version: 2 } });
    expect(completed.status).toBe(200);
    const submitted = await api.call('POST', `/api/requests/${id}/actions/submit`, { token: osw, body: { version: 3 } });
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe('awaiting_team_manager');
    expect(submitted.body.abilities).not.toContain('discard-draft');
  });

  test('a discarded draft is gone from every list and address; the audit keeps its creation, edits and discard', async () => {
    const [osw, other] = await Promise.all([api.token('amelia.hart'), api.token('ben.okafor')]);
    const created = await api.call('POST', '/api/requests', { token: osw, body: { caseReference: 'CM-2002', concernDetails: 'Not needed after all' } });
    const id = created.body.id as string;
    const reference = created.body.reference as string;
    await api.call('PUT', `/api/requests/${id}`, { token: osw, body: { caseReference: 'CM-2002', concernDetails: 'Still not needed', version: 1 } });

    expect((await api.call('DELETE', `/api/requests/${id}`, { token: other })).status).toBe(404);
    const stale = await api.call('DELETE', `/api/requests/${id}?version=1`, { token: osw });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('stale_version');
    expect((await api.call('DELETE', `/api/requests/${id}?version=two`, { token: osw })).status).toBe(400);

    const discarded = await api.call('DELETE', `/api/requests/${id}?version=2`, { token: osw });
    expect(discarded.status).toBe(204);
    expect((await api.call('GET', `/api/requests/${id}`, { token: osw })).status).toBe(404);
    expect((await mine(osw)).map((r) => r.id)).not.toContain(id);
    expect((await api.call('PUT', `/api/requests/${id}`, { token: osw, body: { caseReference: 'CM-2002', version: 2 } })).status).toBe(404);
    expect((await api.call('DELETE', `/api/requests/${id}`, { token: osw })).status).toBe(404);

    const entries = await sql<{ action: string; actor_id: string; detail: { reference?: string } | null }>`
      select action, actor_id, detail from audit_entries where request_id = ${id} order by seq`.execute(api.server.store.db);
    // The two refusals (someone else's try, a stale version) are on the trail too.
    expect(entries.rows.map((e) => e.action)).toEqual(['create', 'edit_draft', 'refused:discard-draft', 'refused:discard-draft', 'discard_draft']);
    expect(entries.rows.at(-1)).toMatchObject({ actor_id: 'amelia.hart', detail: { reference } });
    // What the draft said is not kept anywhere once discarded.
    const left = await sql<{ n: number }>`select count(*)::int as n from investigation_requests where id = ${id}`.execute(api.server.store.db);
    expect(left.rows[0]?.n).toBe(0);
  });

  test('a submitted or returned request cannot be discarded: it is withdrawn, with a reason', async () => {
    const [osw, tm] = await Promise.all([api.token('amelia.hart'), api.token('tom.reid')]);
    const id = (await api.call('POST', '/api/requests', { token: osw, body: requestBody() })).body.id as string;
    await api.call('POST', `/api/requests/${id}/actions/submit`, { token: osw, body: { version: 1 } });
    const submitted = await api.call('DELETE', `/api/requests/${id}`, { token: osw });
    expect(submitted.status).toBe(409);
    expect(submitted.body.error?.message).toMatch(/withdraw/i);

    const returned = await api.call('POST', `/api/requests/${id}/actions/return`, { token: tm, body: { version: 2, reason: 'Say what else has been tried' } });
    expect(returned.body.state).toBe('draft');
    expect(returned.body.abilities).not.toContain('discard-draft');
    const refused = await api.call('DELETE', `/api/requests/${id}`, { token: osw });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toMatch(/withdraw/i);
    expect((await api.call('GET', `/api/requests/${id}`, { token: osw })).body).toMatchObject({ state: 'draft', version: 3 });
  });
});
