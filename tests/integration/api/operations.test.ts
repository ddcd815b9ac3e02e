/**
 * Readiness and the administrators' view of failed work: a failed notification is listed and put
 * back in the queue on request; only administrators see or retry; bad ids are refused by name.
 */
import { randomUUID } from 'node:crypto';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';

describe('operations on PostgreSQL', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('PostgreSQL');
  });
  afterAll(async () => api.close());

  test('readiness reports the database and the waiting work', async () => {
    const ready = await api.call('GET', '/api/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', database: 'ok', notifications: { pending: 0, failed: 0 }, uploads: { pending: 0, failed: 0 } } });
  });

  test('a failed notification is shown to administrators and retried when one asks', async () => {
    const { 'amelia.hart': osw, 'nina.shaw': admin } = await api.tokens('amelia.hart', 'nina.shaw');
    const created = await api.call('POST', '/api/requests', { token: osw, body: requestBody() });
    await api.call('POST', `/api/requests/${created.body.id as string}/actions/submit`, { token: osw, body: { version: 1 } });
    const [owed] = await api.server.store.outboxQueue.claimDue(new Date(), 1, 60);
    if (!owed) throw new Error('submitting wrote no notification');
    await api.server.store.outboxQueue.record([{ id: owed.id, attempts: owed.attempts, error: 'Bot Connector refused', retryAt: null }]);
    expect((await api.call('GET', '/api/health/ready')).body).toMatchObject({ notifications: { failed: 1 } });

    expect((await api.call('GET', '/api/admin/operations', { token: osw })).status).toBe(403);
    const view = await api.call('GET', '/api/admin/operations', { token: admin });
    // Named as an administrator needs them: the request's reference and the recipient's name.
    expect(view).toMatchObject({
      status: 200,
      body: {
        failedNotifications: [{ id: owed.id, kind: owed.kind, lastError: 'Bot Connector refused', requestReference: created.body.reference, recipientId: owed.recipientId, recipientName: 'Tom Reid' }],
        pendingUploads: [],
      },
    });

    expect((await api.call('POST', `/api/admin/notifications/${owed.id}/retry`, { token: osw })).status).toBe(403);
    expect(await api.call('POST', `/api/admin/notifications/${owed.id}/retry`, { token: admin })).toMatchObject({ status: 202 });
    expect((await api.call('GET', '/api/admin/operations', { token: admin })).body).toMatchObject({ failedNotifications: [] });
    const [again] = (await api.server.store.read.outbox.listForRequest(created.body.id as string)).filter((m) => m.id === owed.id);
    expect(again).toMatchObject({ status: 'pending', attempts: 0 });
    // Only a failed one can be retried.
    expect((await api.call('POST', `/api/admin/notifications/${owed.id}/retry`, { token: admin })).status).toBe(404);
  });

  test('ids that are not ids are refused, naming the field; unknown ones are not found', async () => {
    const admin = await api.token('nina.shaw');
    expect((await api.call('POST', '/api/admin/notifications/not-an-id/retry', { token: admin })).body.error).toMatchObject({ code: 'validation', fields: { id: expect.any(String) } });
    expect((await api.call('POST', '/api/admin/uploads/pending:nope/retry', { token: admin })).body.error).toMatchObject({ code: 'validation', fields: { key: expect.any(String) } });
    expect((await api.call('POST', `/api/admin/notifications/${randomUUID()}/retry`, { token: admin })).status).toBe(404);
    expect((await api.call('POST', `/api/admin/uploads/pending:${randomUUID()}/retry`, { token: admin })).status).toBe(404);
  });
});
