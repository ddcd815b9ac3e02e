/**
 * Repeated checks (issue 14, rule 3): a request naming someone checked under another authorisation
 * in the last 12 months tells its team manager and the service directors so, with the earlier
 * requests; 13 months on, it no longer does. Over HTTP, with the controllable clock.
 */
import { getRequest } from '../../../src/app/requests/get-request';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';
import { withSupervisionNote } from '../../support/action-body';

interface EarlierCheckBody {
  subjectId: string;
  requestId: string;
  reference: string;
  authorisedAt: string;
  matchedBy: string;
  visible: boolean;
}

describe('repeated checks over HTTP', () => {
  let api: ApiHarness;
  let now = new Date('2026-01-12T10:00:00Z');
  let t: Record<'amelia.hart' | 'ben.okafor' | 'tom.reid' | 'sarah.mitchell' | 'grace.lee' | 'imran.malik', string>;
  beforeAll(async () => {
    api = await startApi('PGlite', { clock: { now: () => now } });
    t = await api.tokens('amelia.hart', 'ben.okafor', 'tom.reid', 'sarah.mitchell', 'grace.lee', 'imran.malik');
  });
  afterAll(async () => api.close());

  async function act(token: string, id: string, action: string, body: Record<string, unknown> = {}) {
    const current = await api.call('GET', `/api/requests/${id}`, { token });
    const r = await api.call('POST', `/api/requests/${id}/actions/${action}`, { token, body: { version: current.body.version, ...withSupervisionNote(action, body) } });
    expect(r.status).toBe(200);
    return r.body;
  }

  async function submitted(osw: string, subjects: unknown[], neededBy: string) {
    const created = await api.call('POST', '/api/requests', { token: osw, body: requestBody({ subjects, period: { from: '2025-06-01', to: '2025-12-01' }, neededBy }) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await act(osw, id, 'submit');
    return { id, reference: created.body.reference as string, subjects: created.body.subjects ?? [] };
  }

  const earlierOf = async (token: string, id: string) => (await api.call('GET', `/api/requests/${id}`, { token })).body.earlierChecks as EarlierCheckBody[] | null;

  test('11 months after a check the team manager and directors are told, with links; 13 months after, not', async () => {
    const first = await submitted(t['amelia.hart'], [{ kind: 'service_user', name: 'Jane Doe', dateOfBirth: '01/02/1990', profileUrl: 'https://www.facebook.com/jane.doe' }], '2026-01-30');
    await act(t['tom.reid'], first.id, 'agree');
    await act(t['sarah.mitchell'], first.id, 'authorise');

    now = new Date('2026-12-10T10:00:00Z');
    const second = await submitted(
      t['ben.okafor'],
      [
        { kind: 'service_user', name: 'JANE DOE', dateOfBirth: '1990-02-01' },
        { kind: 'known_associate', name: 'J. Doe', profileUrl: 'https://m.facebook.com/Jane.Doe/?ref=bookmarks' },
      ],
      '2026-12-20',
    );
    const expected = [
      { subjectId: second.subjects[0]?.id, requestId: first.id, reference: first.reference, authorisedAt: '2026-01-12T10:00:00.000Z', matchedBy: 'name_and_date_of_birth', visible: true },
      { subjectId: second.subjects[1]?.id, requestId: first.id, reference: first.reference, authorisedAt: '2026-01-12T10:00:00.000Z', matchedBy: 'profile_link', visible: true },
    ];
    const sortBySubject = (list: EarlierCheckBody[] | null) => [...(list ?? [])].sort((a, b) => a.subjectId.localeCompare(b.subjectId));
    const bySubject = (list: typeof expected) => [...list].sort((a, b) => String(a.subjectId).localeCompare(String(b.subjectId)));
    expect(sortBySubject(await earlierOf(t['tom.reid'], second.id))).toEqual(bySubject(expected));
    expect(sortBySubject(await earlierOf(t['sarah.mitchell'], second.id))).toEqual(bySubject(expected));
    expect(sortBySubject(await earlierOf(t['grace.lee'], second.id))).toEqual(bySubject(expected));
    // The worker who raised it is not shown other workers' requests about the person.
    expect(await earlierOf(t['ben.okafor'], second.id)).toBeNull();
    // The action's answer carries it too, for the director deciding next.
    const agreed = await act(t['tom.reid'], second.id, 'agree');
    expect((agreed.earlierChecks as EarlierCheckBody[]).map((c) => c.reference)).toEqual([first.reference, first.reference]);

    // The same through the use case the cards are built from.
    const director = await api.server.deps.directory.get('sarah.mitchell');
    const view = await getRequest(api.server.deps, { person: director!, requestId: 'test' }, second.id);
    expect(view.earlierChecks?.map((c) => c.matchedBy).sort()).toEqual(['name_and_date_of_birth', 'profile_link']);

    now = new Date('2027-02-12T10:00:00Z');
    const third = await submitted(t['amelia.hart'], [{ kind: 'service_user', name: 'Jane Doe', dateOfBirth: '01/02/1990', profileUrl: 'https://facebook.com/jane.doe' }], '2027-02-28');
    // Only the first request was authorised, 13 months ago: nothing recent.
    expect(await earlierOf(t['tom.reid'], third.id)).toEqual([]);
    expect(await earlierOf(t['sarah.mitchell'], third.id)).toEqual([]);
  });

  test('a request not yet authorised is not a check, and a different person is not matched', async () => {
    now = new Date('2027-03-01T10:00:00Z');
    const pending = await submitted(t['amelia.hart'], [{ kind: 'service_user', name: 'Mark Stone', dateOfBirth: '03/04/1985' }], '2027-03-20');
    const again = await submitted(t['ben.okafor'], [{ kind: 'service_user', name: 'Mark Stone', dateOfBirth: '03/04/1985' }, { kind: 'service_user', name: 'Mark Stone', dateOfBirth: '04/03/1985' }], '2027-03-20');
    expect(await earlierOf(t['tom.reid'], again.id)).toEqual([]);
    await act(t['tom.reid'], pending.id, 'agree');
    await act(t['sarah.mitchell'], pending.id, 'authorise');
    const found = await earlierOf(t['tom.reid'], again.id);
    expect(found?.map((c) => [c.subjectId, c.requestId])).toEqual([[again.subjects[0]?.id, pending.id]]);
  });
});
