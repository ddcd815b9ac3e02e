/**
 * Every request has someone who can act (issue 14, rule 6), over HTTP: where a worker's requests
 * go and why; a team manager names a deputy for a period, audited; waiting requests go to both,
 * and the deputy decides as the team manager; refusals name the field and change nothing.
 */
import { sendDeputyCards } from '../../../src/app/deputies/send-deputy-cards';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';

type Tokens = Record<'amelia.hart' | 'ben.okafor' | 'tom.reid' | 'robert.hale' | 'sarah.mitchell', string>;

describe('deputies and the team manager a request goes to', () => {
  let api: ApiHarness;
  let t: Tokens;
  // Monday.
  let now = new Date('2026-11-30T09:00:00Z');
  beforeAll(async () => {
    api = await startApi('PGlite', { clock: { now: () => now } });
    t = await api.tokens('amelia.hart', 'ben.okafor', 'tom.reid', 'robert.hale', 'sarah.mitchell');
  }, 180_000);
  afterAll(async () => api.close());

  const submitted = async (token: string) => {
    const created = await api.call('POST', '/api/requests', { token, body: requestBody({ neededBy: '2027-01-20' }) });
    const id = created.body.id as string;
    expect((await api.call('POST', `/api/requests/${id}/actions/submit`, { token, body: { version: 1 } })).status).toBe(200);
    return id;
  };
  const cardsTo = async (id: string) =>
    (await api.server.store.read.outbox.listForRequest(id)).filter((m) => m.kind === 'agree_request').map((m) => m.recipientId).sort();
  const deputyAudit = async () =>
    (await api.server.store.db.selectFrom('audit_entries').select(['action', 'actor_id', 'detail']).where('action', 'in', ['deputy_named', 'deputy_ended']).orderBy('position').execute()).map((e) => [e.action, e.actor_id]);

  test('a worker whose line manager is a team manager is told so; a team manager choosing is told why, and offered the others', async () => {
    const worker = await api.call('GET', '/api/me/team-manager', { token: t['amelia.hart'] });
    expect(worker.body).toEqual({ teamManager: { id: 'tom.reid', displayName: 'Tom Reid' }, choose: false, why: null, teamManagers: [] });
    const manager = await api.call('GET', '/api/me/team-manager', { token: t['tom.reid'] });
    expect(manager.body).toEqual({
      teamManager: null,
      choose: true,
      why: 'Choose a team manager to agree your requests: Grace Lee, your manager in the directory, is not a team manager.',
      teamManagers: [{ id: 'robert.hale', displayName: 'Robert Hale' }],
    });
  });

  test('naming a deputy is refused for bad input or a person who is not a team manager, changing nothing', async () => {
    const name = (token: string, body: unknown) => api.call('POST', '/api/me/deputies', { token, body });
    expect((await name(t['amelia.hart'], { deputyId: 'robert.hale', from: '2026-11-30', to: '2026-12-04' })).status).toBe(403);
    const cases: [unknown, string][] = [
      [{ deputyId: 'amelia.hart', from: '2026-11-30', to: '2026-12-04' }, 'deputyId'],
      [{ deputyId: 'tom.reid', from: '2026-11-30', to: '2026-12-04' }, 'deputyId'],
      [{ deputyId: 'robert.hale', from: '2026-11-27', to: '2026-12-04' }, 'from'],
      [{ deputyId: 'robert.hale', from: '2026-12-04', to: '2026-11-30' }, 'to'],
      [{ deputyId: 'robert.hale', from: '2026-12-01', to: '2027-06-01' }, 'to'],
      [{ from: '2026-12-01', to: '2026-12-02' }, 'deputyId'],
    ];
    for (const [body, field] of cases) {
      const refused = await name(t['tom.reid'], body);
      expect({ status: refused.status, fields: Object.keys(refused.body.error?.fields ?? {}) }).toEqual({ status: 400, fields: [field] });
    }
    expect((await api.call('GET', '/api/me/deputies', { token: t['tom.reid'] })).body.deputies).toEqual([]);
    expect(await deputyAudit()).toEqual([]);
  });

  test('requests waiting for the team manager go to the deputy too, who may decide them as team manager', async () => {
    const waitingBefore = await submitted(t['amelia.hart']);
    expect(await cardsTo(waitingBefore)).toEqual(['tom.reid']);
    // Before being named, Robert (a director, so he sees it) may not decide it as team manager.
    const actionsOf = async (id: string) =>
      ((await api.call('GET', `/api/requests/${id}`, { token: t['robert.hale'] })).body.allowedActions as ({ action: string } | string)[]).map((a) => (typeof a === 'string' ? a : a.action));
    expect(await actionsOf(waitingBefore)).not.toContain('agree');

    const named = await api.call('POST', '/api/me/deputies', { token: t['tom.reid'], body: { deputyId: 'robert.hale', from: '30/11/2026', to: '04/12/2026' } });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ teamManagerId: 'tom.reid', deputyId: 'robert.hale', from: '2026-11-30', to: '2026-12-04', endedAt: null });
    expect(await deputyAudit()).toEqual([['deputy_named', 'tom.reid']]);
    // The request already waiting goes to the deputy at once, and a sweep does not send it again.
    expect(await cardsTo(waitingBefore)).toEqual(['robert.hale', 'tom.reid']);
    expect(await sendDeputyCards(api.server.deps)).toBe(0);

    const deputyView = await api.call('GET', '/api/me/deputies', { token: t['robert.hale'] });
    expect(deputyView.body.standingInFor).toMatchObject([{ teamManagerId: 'tom.reid', teamManagerName: 'Tom Reid', to: '2026-12-04' }]);

    // A request submitted while the deputy is named goes to both.
    const submittedDuring = await submitted(t['ben.okafor']);
    expect(await cardsTo(submittedDuring)).toEqual(['robert.hale', 'tom.reid']);

    // "Waiting for me" lists both for the deputy, and the deputy may agree, return or decline.
    const waiting = await api.call('GET', '/api/requests?waiting=true', { token: t['robert.hale'] });
    expect((waiting.body.items as { id: string }[]).map((r) => r.id).sort()).toEqual([waitingBefore, submittedDuring].sort());
    // As deputy: agree, decline, return; as a director he may also cancel.
    const view = await api.call('GET', `/api/requests/${waitingBefore}`, { token: t['robert.hale'] });
    expect((view.body.allowedActions as { action: string }[] | string[]).map((a) => (typeof a === 'string' ? a : a.action)).sort()).toEqual(['agree', 'cancel', 'decline', 'return']);
    const agreed = await api.call('POST', `/api/requests/${waitingBefore}/actions/agree`, { token: t['robert.hale'], body: { version: view.body.version, note: 'Agreed for Tom while he is away' } });
    expect(agreed.status).toBe(200);
    expect(agreed.body.agreement).toMatchObject({ by: 'robert.hale' });
    const timeline = await api.call('GET', `/api/requests/${waitingBefore}/audit`, { token: t['robert.hale'] });
    expect((timeline.body as unknown as { action: string; actorRole: string }[]).find((e) => e.action === 'agree')).toMatchObject({ actorRole: 'team_manager' });
    // Having agreed as team manager, the deputy may not authorise it, though a director.
    const asDirector = await api.call('POST', `/api/requests/${waitingBefore}/actions/authorise`, { token: t['robert.hale'], body: { version: agreed.body.version } });
    expect(asDirector.status).toBe(403);

    // Ended early: the deputy no longer decides what waits for the team manager.
    const id = named.body.id as string;
    expect((await api.call('POST', `/api/me/deputies/${id}/end`, { token: t['tom.reid'] })).status).toBe(204);
    expect(await deputyAudit()).toEqual([
      ['deputy_named', 'tom.reid'],
      ['deputy_ended', 'tom.reid'],
    ]);
    expect(await actionsOf(submittedDuring)).not.toContain('agree');
    expect((await api.call('POST', `/api/me/deputies/${id}/end`, { token: t['tom.reid'] })).status).toBe(404);
  });

  test('a deputy named for a later period is sent the waiting requests when it begins, once', async () => {
    const waiting = await submitted(t['amelia.hart']);
    const named = await api.call('POST', '/api/me/deputies', { token: t['tom.reid'], body: { deputyId: 'robert.hale', from: '2026-12-07', to: '2026-12-11' } });
    expect(named.status).toBe(201);
    expect(await cardsTo(waiting)).toEqual(['tom.reid']);
    expect(await sendDeputyCards(api.server.deps)).toBe(0);
    now = new Date('2026-12-07T08:00:00Z');
    // This request (and any other still waiting for Tom from the tests before).
    expect(await sendDeputyCards(api.server.deps)).toBeGreaterThanOrEqual(1);
    expect(await sendDeputyCards(api.server.deps)).toBe(0);
    expect(await cardsTo(waiting)).toEqual(['robert.hale', 'tom.reid']);
  });
});
