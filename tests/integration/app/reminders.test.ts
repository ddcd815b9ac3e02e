/** Reminders are written to the outbox when due, once, and delivered like any notification. */
import { sendDueReminders } from '../../../src/app/requests/send-reminders';
import { DEFAULT_REMINDER_SETTINGS } from '../../../src/domain/reminders';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from '../api/helpers';

describe('reminders', () => {
  let api: ApiHarness;
  let now = new Date('2026-11-20T09:00:00Z');
  beforeAll(async () => {
    api = await startApi('PGlite', { clock: { now: () => now } });
  });
  afterAll(async () => api.close());

  test('a team manager who has not decided in two working days is reminded once', async () => {
    const t = await api.tokens('amelia.hart');
    const created = await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody() });
    const id = created.body.id as string;
    await api.call('POST', `/api/requests/${id}/actions/submit`, { token: t['amelia.hart'], body: { version: 1 } });
    const deps = api.server.deps;
    now = new Date('2026-11-24T09:00:00Z');
    expect(await sendDueReminders(deps, DEFAULT_REMINDER_SETTINGS)).toBe(0);
    now = new Date('2026-11-25T09:00:00Z');
    expect(await sendDueReminders(deps, DEFAULT_REMINDER_SETTINGS)).toBe(1);
    expect(await sendDueReminders(deps, DEFAULT_REMINDER_SETTINGS)).toBe(0);
    const messages = await deps.store.read.outbox.listForRequest(id);
    expect(messages.filter((m) => m.kind === 'reminder_decision_waiting').map((m) => [m.recipientId, m.payload.reminderKey])).toEqual([
      ['tom.reid', 'tm:2026-11-20T09:00:00.000Z'],
    ]);
  });
});
