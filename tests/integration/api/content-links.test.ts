/**
 * Evidence viewed safely (issue 13 item 2, issue 14 item 5): the tab never fetches evidence into a
 * blob URL in its own origin. It asks, with its bearer token, for a one-time link; the browser then
 * fetches the sandboxed content route with the link alone. A link works once, for one item of one
 * request, for a minute, for the person it was issued to, and the read is audited as theirs.
 */
import { startApi, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES, requestBody, uploadEvidence } from './helpers';
import { withSupervisionNote } from '../../support/action-body';

// Ahead of the wall clock, since the outbox stamps its messages with the database's own time.
const START = new Date('2027-02-01T09:00:00Z');
const SAVED_PAGE = Buffer.from('<!doctype html><html><head><meta http-equiv="refresh" content="0;url=https://example.org/"></head><body>saved</body></html>');

describe('one-time links to evidence and filed documents', () => {
  let api: ApiHarness;
  let now = START;
  let t: Record<'amelia.hart' | 'tom.reid' | 'sarah.mitchell' | 'grace.lee' | 'imran.malik' | 'jack.turner', string>;
  let id: string;
  let otherId: string;
  let image: string;
  let page: string;

  const act = async (requestId: string, token: string, action: string, body: Record<string, unknown> = {}) => {
    const current = (await api.call('GET', `/api/requests/${requestId}`, { token })).body;
    const r = await api.call('POST', `/api/requests/${requestId}/actions/${action}`, { token, body: { version: current.version, ...withSupervisionNote(action, body) } });
    expect({ action, status: r.status, error: r.body.error }).toEqual({ action, status: 200, error: undefined });
  };
  const searching = async () => {
    const created = await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody() });
    const requestId = created.body.id as string;
    await act(requestId, t['amelia.hart'], 'submit');
    await act(requestId, t['tom.reid'], 'agree');
    await act(requestId, t['sarah.mitchell'], 'authorise');
    await act(requestId, t['imran.malik'], 'claim');
    await act(requestId, t['imran.malik'], 'confirm-legitimacy');
    expect((await api.call('POST', `/api/requests/${requestId}/search-sessions`, { token: t['imran.malik'], body: { corporateAccount: true } })).status).toBe(201);
    return { requestId, subjectId: created.body.subjects?.[0]?.id ?? '' };
  };
  const link = (token: string, requestId: string, itemId: string, body: unknown = {}, kind = 'evidence') =>
    api.call('POST', `/api/requests/${requestId}/${kind}/${itemId}/links`, { token, body });
  /** Fetches a link as a browser would: no bearer header. */
  const open = (url: string) => fetch(`${api.url}${url}`);
  const audit = async (requestId: string) =>
    (await api.call('GET', `/api/requests/${requestId}/audit`, { token: t['amelia.hart'] })).body as unknown as { action: string; actorId: string; detail: Record<string, unknown> | null }[];

  beforeAll(async () => {
    api = await startApi('PGlite', { clock: { now: () => now } });
    t = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'grace.lee', 'imran.malik', 'jack.turner');
    const first = await searching();
    id = first.requestId;
    const uploaded = await uploadEvidence(api, t['imran.malik'], id, { subjectId: first.subjectId }, PNG_BYTES, 'photo.png');
    expect(uploaded.status).toBe(201);
    image = uploaded.body.id as string;
    const saved = await uploadEvidence(api, t['imran.malik'], id, { subjectId: first.subjectId, description: 'The saved profile page' }, SAVED_PAGE, 'profile.html');
    expect(saved.status).toBe(201);
    page = saved.body.id as string;
    otherId = (await searching()).requestId;
  }, 300_000);
  afterAll(async () => api.close());

  test('the originating worker previews an image as it is captured: sandboxed, inline, once, and the read is audited as hers', async () => {
    now = START;
    const issued = await link(t['amelia.hart'], id, image);
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ url: expect.stringMatching(new RegExp(`^/api/requests/${id}/evidence/${image}/content\\?ticket=[A-Za-z0-9_-]{43}$`)), expiresAt: '2027-02-01T09:01:00.000Z', download: false });
    const response = await open(issued.body.url as string);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG_BYTES);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const entry = (await audit(id)).at(-1);
    expect(entry).toMatchObject({ action: 'view_evidence', actorId: 'amelia.hart', detail: { evidenceId: image, link: true } });
  });

  test('a link works once: the second fetch is refused and audits nothing', async () => {
    now = START;
    const issued = await link(t['tom.reid'], id, image);
    expect((await open(issued.body.url as string)).status).toBe(200);
    const before = (await audit(id)).length;
    const again = await open(issued.body.url as string);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/used or has expired/);
    expect((await audit(id)).length).toBe(before);
  });

  test('a link expires a minute after it is issued', async () => {
    now = START;
    const issued = await link(t['sarah.mitchell'], id, image);
    now = new Date(START.getTime() + 60_000);
    expect((await open(issued.body.url as string)).status).toBe(403);
    now = START;
    const fresh = await link(t['sarah.mitchell'], id, image);
    now = new Date(START.getTime() + 59_000);
    expect((await open(fresh.body.url as string)).status).toBe(200);
    now = START;
  });

  test('a link opens only the item and request it was issued for', async () => {
    const issued = await link(t['grace.lee'], id, image);
    const ticket = new URL(issued.body.url as string, api.url).searchParams.get('ticket');
    expect((await open(`/api/requests/${otherId}/evidence/${image}/content?ticket=${ticket}`)).status).toBe(403);
    expect((await open(`/api/requests/${id}/evidence/${page}/content?ticket=${ticket}`)).status).toBe(403);
    expect((await open(`/api/requests/${id}/documents/${image}/content?ticket=${ticket}`)).status).toBe(403);
    // Refused uses leave the link for its own item, still once.
    expect((await open(issued.body.url as string)).status).toBe(200);
    expect((await open(issued.body.url as string)).status).toBe(403);
  });

  test('a made-up or empty ticket is refused, and no ticket and no token is a 401', async () => {
    expect((await open(`/api/requests/${id}/evidence/${image}/content?ticket=${'A'.repeat(43)}`)).status).toBe(403);
    expect((await open(`/api/requests/${id}/evidence/${image}/content?ticket=`)).status).toBe(403);
    expect((await open(`/api/requests/${id}/evidence/${image}/content`)).status).toBe(401);
  });

  test('a saved web page is only ever a download, never HTML', async () => {
    const issued = await link(t['amelia.hart'], id, page);
    const response = await open(issued.body.url as string);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox;/);
  });

  test('a download link makes an image an attachment', async () => {
    const issued = await link(t['amelia.hart'], id, image, { download: true });
    expect(issued.body.download).toBe(true);
    const response = await open(issued.body.url as string);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  test('only people who may see the request get a link; bad input is a 400 naming the field', async () => {
    expect((await link(t['jack.turner'], id, image)).status).toBe(404);
    expect((await link(t['amelia.hart'], id, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await link(t['amelia.hart'], otherId, image)).status).toBe(404);
    const bad = await link(t['amelia.hart'], id, image, { download: 'yes' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error?.fields ?? {})).toEqual(['download']);
    expect((await api.call('POST', `/api/requests/${id}/evidence/${image}/links`, { body: {} })).status).toBe(401);
  });
});
