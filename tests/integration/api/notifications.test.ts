/**
 * Notification delivery on a request is shown to the people who can act on it: the person whose
 * step sent it. A failure comes with advice and can be sent again, once its cause is dealt with.
 */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';

interface Notification {
  id: string;
  kind: string;
  recipientId: string;
  status: string;
  advice: string | null;
  canRetry: boolean;
}

describe.each(BACKENDS)('notification status on %s', (backend) => {
  let api: ApiHarness;
  let id: string;
  let t: Record<'amelia.hart' | 'tom.reid' | 'grace.lee', string>;

  beforeAll(async () => {
    api = await startApi(backend);
    t = await api.tokens('amelia.hart', 'tom.reid', 'grace.lee');
    const created = await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody() });
    id = created.body.id as string;
    await api.call('POST', `/api/requests/${id}/actions/submit`, { token: t['amelia.hart'], body: { version: 1 } });
    await api.call('POST', `/api/requests/${id}/actions/agree`, { token: t['tom.reid'], body: { version: 2, note: 'Discussed in supervision' } });
    // Teams refuses the card to Sarah: the sender's own words for a person without the app.
    const owed = await api.server.store.read.outbox.listForRequest(id);
    const toSarah = owed.find((m) => m.recipientId === 'sarah.mitchell');
    if (!toSarah) throw new Error('The agreement owed the service director a card.');
    await api.server.store.outboxQueue.record([{ id: toSarah.id, attempts: toSarah.attempts, error: 'Sarah Mitchell has not installed the Social Media Checks app in Teams.', retryAt: null }]);
  });
  afterAll(async () => api.close());

  const list = async (token: string) => (await api.call('GET', `/api/requests/${id}/notifications`, { token })).body as unknown as Notification[];

  it('shows each person only what their own steps sent', async () => {
    const amelia = await list(t['amelia.hart']);
    const tom = await list(t['tom.reid']);
    expect(amelia.map((n) => n.recipientId)).toEqual(['tom.reid']);
    expect(tom.map((n) => n.recipientId).sort()).toEqual(expect.arrayContaining(['sarah.mitchell', 'robert.hale']));
    expect(tom.every((n) => n.recipientId !== 'tom.reid')).toBe(true);
    // The service manager sees the request but sent nothing on it.
    expect(await list(t['grace.lee'])).toEqual([]);
  });

  it('says what to do about a failure, in words the sender can act on', async () => {
    const failed = (await list(t['tom.reid'])).find((n) => n.recipientId === 'sarah.mitchell');
    expect(failed).toMatchObject({
      status: 'failed',
      canRetry: true,
      advice: 'Sarah Mitchell has not installed the app: ask them to open Social Media Checks in Teams once, then retry.',
    });
  });

  it('refuses a retry by someone who did not send it, changing nothing', async () => {
    const failed = (await list(t['tom.reid'])).find((n) => n.status === 'failed');
    const refused = await api.call('POST', `/api/requests/${id}/notifications/${failed?.id}/retry`, { token: t['amelia.hart'] });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('forbidden');
    expect((await list(t['tom.reid'])).find((n) => n.id === failed?.id)?.status).toBe('failed');
  });

  it('refuses to retry what was not a failure, or is not on this request', async () => {
    const pending = (await list(t['tom.reid'])).find((n) => n.status === 'pending');
    expect((await api.call('POST', `/api/requests/${id}/notifications/${pending?.id}/retry`, { token: t['tom.reid'] })).status).toBe(409);
    expect((await api.call('POST', `/api/requests/${id}/notifications/00000000-0000-4000-8000-000000000000/retry`, { token: t['tom.reid'] })).status).toBe(404);
  });

  it('lets the sender queue a failed notification again, audited', async () => {
    const failed = (await list(t['tom.reid'])).find((n) => n.status === 'failed');
    const retried = await api.call('POST', `/api/requests/${id}/notifications/${failed?.id}/retry`, { token: t['tom.reid'] });
    expect(retried.status).toBe(204);
    const after = (await list(t['tom.reid'])).find((n) => n.id === failed?.id);
    expect(after).toMatchObject({ status: 'pending', canRetry: false });
    const due = await api.server.store.outboxQueue.claimDue(new Date(Date.now() + 1000), 50, 60);
    expect(due.map((m) => m.id)).toContain(failed?.id);
    const audit = (await api.call('GET', `/api/requests/${id}/audit`, { token: t['tom.reid'] })).body as unknown as { action: string; actorId: string }[];
    expect(audit.filter((e) => e.action === 'retry_notification')).toEqual([expect.objectContaining({ actorId: 'tom.reid' })]);
  });
});
