/**
 * The inbox over HTTP: how many requests wait for each person, overdue marks by the reminder
 * settings, and search by reference, case, child and family names (names only for those who may
 * see the request's personal details), by state and by the days requests were raised.
 */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';

interface Listed {
  id: string;
  reference: string;
  overdue: boolean;
}
interface Page {
  items: Listed[];
  counts: { waitingForMe: number };
}

describe.each(BACKENDS)('the inbox on %s', (backend) => {
  let api: ApiHarness;
  // A Monday: two working days of grace end on Wednesday.
  let now = new Date('2026-11-23T10:00:00Z');
  beforeAll(async () => {
    api = await startApi(backend, { clock: { now: () => now } });
  }, 180_000);
  afterAll(async () => api.close());

  const list = async (token: string, query: string) => {
    const r = await api.call('GET', `/api/requests?${query}`, { token });
    expect(r.status).toBe(200);
    return r.body as unknown as Page;
  };
  const refs = (page: Page) => page.items.map((i) => i.reference).sort();

  test('counts, overdue marks and search', async () => {
    const t = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'imran.malik');
    const [osw, tm, sd, aaw] = [t['amelia.hart'], t['tom.reid'], t['sarah.mitchell'], t['imran.malik']];
    const raise = async (caseReference: string, child: string, subject: Record<string, unknown>) => {
      const created = await api.call('POST', '/api/requests', { token: osw, body: requestBody({ caseReference, children: [{ name: child }], subjects: [subject] }) });
      await api.call('POST', `/api/requests/${created.body.id}/actions/submit`, { token: osw, body: { version: 1 } });
      return { id: created.body.id as string, reference: created.body.reference as string };
    };
    const first = await raise('CM-7001', 'Riley Fenwick', { kind: 'service_user', name: 'Jordan Fenwick', otherNames: 'Jo Maple' });
    const second = await raise('CM-7002', 'Poppy Ashdown', { kind: 'family_member', name: 'Dana Ashdown' });

    expect((await list(tm, 'waiting=true')).counts.waitingForMe).toBe(2);
    expect(refs(await list(tm, 'waiting=true'))).toEqual([first.reference, second.reference].sort());
    await api.call('POST', `/api/requests/${second.id}/actions/agree`, { token: tm, body: { version: 2, note: 'Discussed in supervision.' } });
    const tmWaiting = await list(tm, 'waiting=true&limit=1');
    expect(tmWaiting.counts.waitingForMe).toBe(1);
    expect(refs(tmWaiting)).toEqual([first.reference]);
    expect(tmWaiting.items[0]?.overdue).toBe(false);
    expect((await list(sd, 'waiting=true')).counts.waitingForMe).toBe(1);

    // Child's name, a person's surname and other names, the case and the reference; text taken literally.
    expect(refs(await list(tm, 'q=fenwick'))).toEqual([first.reference]);
    expect(refs(await list(tm, 'q=jo%20maple'))).toEqual([first.reference]);
    expect(refs(await list(tm, 'q=POPPY'))).toEqual([second.reference]);
    expect(refs(await list(tm, 'q=cm-700'))).toEqual([first.reference, second.reference].sort());
    expect(refs(await list(tm, `q=${encodeURIComponent(second.reference)}`))).toEqual([second.reference]);
    expect(refs(await list(tm, 'q=%25'))).toEqual([]);
    expect(refs(await list(tm, 'q=fenwick&state=awaiting_service_director'))).toEqual([]);
    expect(refs(await list(tm, 'state=awaiting_service_director'))).toEqual([second.reference]);

    // An access worker browsing the register finds the request by reference, never by a name they may not see.
    await api.call('POST', `/api/requests/${second.id}/actions/authorise`, { token: sd, body: { version: 3 } });
    expect(refs(await list(aaw, `q=${encodeURIComponent(second.reference)}`))).toEqual([second.reference]);
    expect(refs(await list(aaw, 'q=ashdown'))).toEqual([]);
    expect(refs(await list(aaw, 'q=poppy'))).toEqual([]);
    expect(refs(await list(sd, 'q=ashdown'))).toEqual([second.reference]);

    // The days raised, as a UK user types them.
    expect(refs(await list(tm, 'raisedFrom=23/11/2026&raisedTo=23/11/2026'))).toEqual([first.reference, second.reference].sort());
    expect(refs(await list(tm, 'raisedFrom=24/11/2026'))).toEqual([]);
    expect(refs(await list(tm, 'raisedTo=22/11/2026'))).toEqual([]);
    const bad = await api.call('GET', '/api/requests?raisedFrom=31/02/2026&q=' + 'x'.repeat(201), { token: tm });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error?.fields ?? {}).sort()).toEqual(['q', 'raisedFrom']);

    // Past the reminder settings' two working days, the waiting decision is overdue.
    now = new Date('2026-11-26T10:00:00Z');
    expect((await list(tm, 'waiting=true')).items.map((i) => i.overdue)).toEqual([true]);
  });
});
