/** A further person found during a search becomes a new, linked request, flagged to the directors. */
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';

describe('linked request', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('PGlite');
  });
  afterAll(async () => api.close());

  test('only the originator raises it; on submission every director is flagged; the first request is untouched', async () => {
    const t = await api.tokens('amelia.hart', 'ben.okafor', 'tom.reid');
    const first = await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody() });
    const firstId = first.body.id as string;
    await api.call('POST', `/api/requests/${firstId}/actions/submit`, { token: t['amelia.hart'], body: { version: 1 } });

    const byOther = await api.call('POST', '/api/requests', { token: t['ben.okafor'], body: requestBody({ linkedFromRequestId: firstId }) });
    expect(byOther.status).toBe(404);

    const linked = await api.call('POST', '/api/requests', {
      token: t['amelia.hart'],
      body: requestBody({ linkedFromRequestId: firstId, subjects: [{ kind: 'unknown_associate', description: 'A man tagged in photographs with the mother' }] }),
    });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ state: 'draft', linkedFromRequestId: firstId });
    const submitted = await api.call('POST', `/api/requests/${linked.body.id as string}/actions/submit`, { token: t['amelia.hart'], body: { version: 1 } });
    expect(submitted.body.state).toBe('awaiting_team_manager');

    const notes = await api.call('GET', `/api/requests/${linked.body.id as string}/notifications`, { token: t['amelia.hart'] });
    const flagged = (notes.body as unknown as { kind: string; recipientId: string }[]).filter((n) => n.kind === 'linked_request_flag').map((n) => n.recipientId).sort();
    expect(flagged).toEqual(['robert.hale', 'sarah.mitchell']);

    const original = await api.call('GET', `/api/requests/${firstId}`, { token: t['amelia.hart'] });
    expect(original.body).toMatchObject({ version: 2, subjects: [{ name: 'Jane Doe' }, { kind: 'unknown_associate' }] });
  });
});
