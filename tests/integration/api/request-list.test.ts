/**
 * The request list every surface reads: visibility and "waiting for me" decided in the database,
 * keyset pages, and no number of other people's requests able to push one out of view.
 */
import { sql } from 'kysely';
import { CLOSED_STATES, REQUEST_STATES, type RequestState } from '../../../src/domain/states';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { insertDrafts } from '../../support/bulk-requests';
import { requestBody } from './helpers';

interface Page {
  items: { id: string; createdAt: string; state: string; waitingForMe: boolean }[];
  nextCursor: string | null;
  counts: { waitingForMe: number };
}

describe.each(BACKENDS)('the request list on %s', (backend) => {
  let api: ApiHarness;
  let t: Record<'osw' | 'tm' | 'sd' | 'other', string>;
  /** Requests waiting for the service director, raised before anything else. */
  const waitingForDirector: string[] = [];

  const page = async (token: string, query: string) => {
    const r = await api.call('GET', `/api/requests?${query}`, { token });
    expect(r.status).toBe(200);
    return r.body as unknown as Page;
  };

  // Starting the server and seeding are separate hooks, so each has jest's whole time limit.
  beforeAll(async () => {
    api = await startApi(backend);
  });
  beforeAll(async () => {
    const tokens = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'ben.okafor');
    t = { osw: tokens['amelia.hart'], tm: tokens['tom.reid'], sd: tokens['sarah.mitchell'], other: tokens['ben.okafor'] };
    for (let i = 0; i < 6; i += 1) {
      const created = await api.call('POST', '/api/requests', { token: t.osw, body: requestBody() });
      const id = created.body.id as string;
      const submitted = await api.call('POST', `/api/requests/${id}/actions/submit`, { token: t.osw, body: { version: 1 } });
      const agreed = await api.call('POST', `/api/requests/${id}/actions/agree`, { token: t.tm, body: { version: submitted.body.version, note: 'Discussed in supervision.' } });
      expect(agreed.body.state).toBe('awaiting_service_director');
      waitingForDirector.push(id);
    }
    // Another user then makes 600 drafts, all newer than every request waiting for the director.
    await insertDrafts(api.server.store, 'ben.okafor', 600, new Date(Date.now() + 60_000));
  });
  afterAll(() => api.close());

  test('after 600 newer drafts by someone else, the service director still sees every request waiting for them', async () => {
    const waiting = await page(t.sd, 'waiting=true');
    expect(waiting.items.map((r) => r.id).sort()).toEqual([...waitingForDirector].sort());
    expect(waiting.counts.waitingForMe).toBe(waitingForDirector.length);
    expect(waiting.items.every((r) => r.waitingForMe)).toBe(true);
    // The list of everything the director may see holds no one else's draft.
    const all = await page(t.sd, 'limit=200');
    expect(all.items.every((r) => r.state !== 'draft')).toBe(true);
    expect(all.counts.waitingForMe).toBe(waitingForDirector.length);
  });

  test('the page and its "waiting for me" count come together, and an empty page still counts what waits', async () => {
    // A search nothing matches: no row carries the count, which is still every request waiting.
    const none = await page(t.sd, `q=${encodeURIComponent('no request is called this')}`);
    expect(none.items).toEqual([]);
    expect(none.nextCursor).toBeNull();
    expect(none.counts.waitingForMe).toBe(waitingForDirector.length);
    // The team manager, who has agreed every request they were sent: a full page, and a count of none.
    const agreed = await page(t.tm, 'limit=3');
    expect(agreed.items).toHaveLength(3);
    expect(agreed.counts.waitingForMe).toBe(0);
    // A later page carries the same count as the first.
    const second = await page(t.sd, `limit=4&cursor=${encodeURIComponent((await page(t.sd, 'limit=4')).nextCursor ?? '')}`);
    expect(second.items.length).toBeGreaterThan(0);
    expect(second.counts.waitingForMe).toBe(waitingForDirector.length);
  });

  test('a page holds 50 by default and at most 200; a cursor or limit this server did not give is refused by name', async () => {
    const first = await page(t.other, '');
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect((await page(t.other, 'limit=200')).items).toHaveLength(200);
    for (const [query, field] of [['limit=201', 'limit'], ['limit=0', 'limit'], ['limit=ten', 'limit'], ['cursor=not-a-cursor', 'cursor']] as const) {
      const r = await api.call('GET', `/api/requests?${query}`, { token: t.other });
      expect(r.status).toBe(400);
      expect(r.body.error?.fields).toHaveProperty(field);
    }
  });

  test('"shared with me" and the state filter are asked of the server, so an older match is found on the first page', async () => {
    // Requests the team manager may see, older than every other: one still open, two with its log shared with them.
    const seed = async (state: RequestState, sharedWith: string[], raised: string) => {
      const [id] = await insertDrafts(api.server.store, 'amelia.hart', 1, new Date(raised));
      const at = new Date(raised).toISOString();
      await api.server.store.db
        .updateTable('investigation_requests')
        .set({
          state,
          team_manager_id: 'tom.reid',
          submitted_at: at,
          closed_at: state === 'closed' ? at : null,
          shared_with: sql`${JSON.stringify(sharedWith.map((personId) => ({ personId, at })))}::jsonb`,
        })
        .where('id', '=', id ?? '')
        .execute();
      return id ?? '';
    };
    const sharedOpen = await seed('shared', ['tom.reid', 'sarah.mitchell'], '2020-01-03T10:00:00Z');
    const sharedClosed = await seed('closed', ['tom.reid'], '2020-01-02T10:00:00Z');
    const declined = await seed('declined', [], '2020-01-01T10:00:00Z');
    const ids = async (token: string, query: string) => (await page(token, query)).items.map((r) => r.id);

    // A page of one at a time: the match is not behind the newer requests the team manager sees.
    const first = await page(t.tm, 'shared=true&limit=1');
    expect(first.items.map((r) => r.id)).toEqual([sharedOpen]);
    const second = await page(t.tm, `shared=true&limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.items.map((r) => r.id)).toEqual([sharedClosed]);
    expect(second.nextCursor).toBeNull();
    expect(await ids(t.sd, 'shared=true')).toEqual([sharedOpen]);
    expect(await ids(t.other, 'shared=true')).toEqual([]);
    expect(await ids(t.tm, 'shared=true&state=closed')).toEqual([sharedClosed]);

    // "Closed" in the tab is the closed states; "open" is every other, asked for by name.
    expect(await ids(t.tm, `state=${CLOSED_STATES.join(',')}&limit=1`)).toEqual([sharedClosed]);
    expect(await ids(t.tm, `state=${CLOSED_STATES.join(',')}`)).toEqual([sharedClosed, declined]);
    const open = await ids(t.tm, `state=${REQUEST_STATES.filter((s) => !CLOSED_STATES.includes(s)).join(',')}&limit=200`);
    expect(open).toContain(sharedOpen);
    expect(open).not.toContain(sharedClosed);
    expect(open).not.toContain(declined);

    const refused = await api.call('GET', '/api/requests?shared=perhaps', { token: t.tm });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.fields).toHaveProperty('shared');
  });

  test('paging over 1,000 requests gives each exactly once, newest first, whatever the page size', async () => {
    const owner = await api.token('hannah.cole');
    // Some share a creation instant, so the order must break ties by id.
    const ids = await insertDrafts(api.server.store, 'hannah.cole', 1000, new Date('2026-01-01T00:00:00Z'), 7);
    expect(ids).toHaveLength(1000);
    // hannah.cole (a social worker and an access worker) has no other request here: only these are hers.
    for (const limit of [200, 37]) {
      const seen: Page['items'] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const next: Page = await page(owner, `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(next.items.length).toBeLessThanOrEqual(limit);
        seen.push(...next.items);
        cursor = next.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(seen).toHaveLength(1000);
      expect(new Set(seen.map((r) => r.id)).size).toBe(1000);
      expect(new Set(seen.map((r) => r.id))).toEqual(new Set(ids));
      const keys = seen.map((r) => `${r.createdAt}|${r.id}`);
      expect(keys).toEqual([...keys].sort().reverse());
    }
  });
});
