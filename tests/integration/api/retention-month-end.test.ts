/**
 * The retention review lists a request on the day it falls due, month ends included: declined on
 * 31 January with a one-month rule, it is due on 28 February (the month's last day), and listed then.
 */
import { startApi } from '../../support/api-server';
import { withSupervisionNote } from '../../support/action-body';
import { requestBody } from './helpers';

test('a request due at a month’s end is in the review list that day', async () => {
  const clock = { now: new Date('2026-01-31T09:00:00Z') };
  const api = await startApi('PGlite', { clock: { now: () => clock.now }, env: { RETENTION_SCHEDULE: 'declined=1' } });
  try {
    const t = await api.tokens('amelia.hart', 'tom.reid', 'grace.lee');
    const id = (await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody() })).body.id as string;
    let version = 1;
    for (const [who, action, body] of [['amelia.hart', 'submit', {}], ['tom.reid', 'decline', { reason: 'Not discussed in supervision yet' }]] as const) {
      const answer = await api.call('POST', `/api/requests/${id}/actions/${action}`, { token: t[who], body: { version, ...withSupervisionNote(action, body) } });
      expect(answer.status).toBe(200);
      version = answer.body.version as number;
    }
    const seen: [string, string, boolean][] = [];
    for (const day of ['2026-02-27', '2026-02-28', '2026-03-01']) {
      clock.now = new Date(`${day}T12:00:00Z`);
      const one = await api.call('GET', `/api/retention/requests/${id}`, { token: t['grace.lee'] });
      const list = await api.call('GET', '/api/retention/review', { token: t['grace.lee'] });
      seen.push([day, (one.body.retention as { status: string }).status, (list.body.due as { request: { id: string } }[]).some((i) => i.request.id === id)]);
    }
    expect(seen).toEqual([
      ['2026-02-27', 'kept', false],
      ['2026-02-28', 'due', true],
      ['2026-03-01', 'due', true],
    ]);
  } finally {
    await api.close();
  }
}, 120_000);
