/**
 * Doubts and the case record over HTTP (issue 14 items 7 and 11), with a clock the test moves:
 * - the originating worker, as well as the access worker, can raise uncertainty or disagreement;
 *   the service manager for the case's team records a view, and only then may a service director
 *   resolve it; every note is on the request and in the filed log;
 * - a shared log, or one filed because a request stopped after evidence was captured, waits for the
 *   originating worker to record that the documents are on the case record (who and when); the
 *   request closes only then, and the worker is reminded until they do.
 */
import JSZip from 'jszip';
import { sendDueReminders } from '../../../src/app/requests/send-reminders';
import { DEFAULT_REMINDER_SETTINGS } from '../../../src/domain/reminders';
import { startApi, type ApiBody, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES, requestBody, uploadEvidence } from './helpers';
import { withSupervisionNote } from '../../support/action-body';

const DAY = 86_400_000;
// Ahead of the wall clock, since the outbox stamps its messages with the database's own time.
const START = new Date('2027-03-01T09:00:00Z');

describe('doubts and the case record over HTTP', () => {
  let api: ApiHarness;
  let now = START;
  let t: Record<'amelia.hart' | 'tom.reid' | 'sarah.mitchell' | 'robert.hale' | 'grace.lee' | 'imran.malik', string>;
  beforeAll(async () => {
    api = await startApi('PGlite', { clock: { now: () => now } });
    t = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'robert.hale', 'grace.lee', 'imran.malik');
  }, 300_000);
  afterAll(async () => api.close());

  const get = async (id: string, token = t['amelia.hart']) => (await api.call('GET', `/api/requests/${id}`, { token })).body;
  const act = async (id: string, token: string, action: string, body: Record<string, unknown> = {}) => {
    const current = await get(id, token);
    return api.call('POST', `/api/requests/${id}/actions/${action}`, { token, body: { version: current.version, ...withSupervisionNote(action, body) } });
  };
  const ok = async (id: string, token: string, action: string, body: Record<string, unknown> = {}): Promise<ApiBody> => {
    const r = await act(id, token, action, body);
    expect({ action, status: r.status, error: r.body.error }).toEqual({ action, status: 200, error: undefined });
    return r.body;
  };
  const actions = (view: ApiBody) => (view.allowedActions as unknown as { action: string }[]).map((a) => a.action);
  const audit = async (id: string) => (await api.call('GET', `/api/requests/${id}/audit`, { token: t['amelia.hart'] })).body as unknown as { action: string; actorId: string; detail: Record<string, unknown> | null }[];

  async function searching(): Promise<{ id: string; subjectId: string }> {
    const created = await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody({ subjects: [{ kind: 'service_user', name: 'Jane Doe' }] }) });
    const id = created.body.id as string;
    await ok(id, t['amelia.hart'], 'submit');
    await ok(id, t['tom.reid'], 'agree');
    await ok(id, t['sarah.mitchell'], 'authorise');
    await ok(id, t['imran.malik'], 'claim');
    await ok(id, t['imran.malik'], 'confirm-legitimacy');
    return { id, subjectId: created.body.subjects?.[0]?.id ?? '' };
  }
  async function withEvidence(): Promise<{ id: string; subjectId: string }> {
    const request = await searching();
    const session = await api.call('POST', `/api/requests/${request.id}/search-sessions`, { token: t['imran.malik'], body: { corporateAccount: true } });
    expect((await uploadEvidence(api, t['imran.malik'], request.id, { subjectId: request.subjectId }, PNG_BYTES, 'a.png')).status).toBe(201);
    await api.call('POST', `/api/requests/${request.id}/search-sessions/${session.body.id as string}/end`, { token: t['imran.malik'] });
    return request;
  }

  test('the originating worker raises a disagreement; the director may resolve it only after the case’s service manager gives a view; both notes stay on the record', async () => {
    now = START;
    const { id } = await searching();
    expect(actions(await get(id))).toContain('raise-doubt');
    const noReason = await act(id, t['amelia.hart'], 'raise-doubt');
    expect(noReason.status).toBe(400);
    expect(Object.keys(noReason.body.error?.fields ?? {})).toEqual(['reason']);

    const raised = await ok(id, t['amelia.hart'], 'raise-doubt', { reason: 'The access worker is looking at the wrong Jane Doe' });
    expect(raised.state).toBe('on_hold');
    expect(raised.doubts).toEqual([
      { raisedBy: 'amelia.hart', raisedAs: 'originating_worker', raisedAt: START.toISOString(), reason: 'The access worker is looking at the wrong Jane Doe', serviceManagerView: null, resolution: null },
    ]);
    const notes = await api.server.deps.store.read.outbox.listForRequest(id);
    expect(notes.filter((n) => n.kind === 'resolve_doubt').map((n) => n.recipientId)).toEqual(['grace.lee']);
    expect(actions(await get(id, t['sarah.mitchell']))).not.toContain('resolve-doubt');
    expect(actions(await get(id, t['grace.lee']))).toContain('record-doubt-view');

    // A director who tries first is refused under the rule, the request unchanged, the refusal audited.
    const early = await act(id, t['sarah.mitchell'], 'resolve-doubt', { outcome: 'resume', reason: 'Carry on' });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'invalid_state' });
    expect((await get(id)).state).toBe('on_hold');
    expect((await audit(id)).at(-1)).toMatchObject({ action: 'refused:resolve-doubt', actorId: 'sarah.mitchell' });

    now = new Date(START.getTime() + 3_600_000);
    const viewed = await ok(id, t['grace.lee'], 'record-doubt-view', { reason: 'Spoke to both: the profile is the right one' });
    expect(viewed.state).toBe('on_hold');
    expect((viewed.doubts as { serviceManagerView: unknown }[])[0]?.serviceManagerView).toEqual({ by: 'grace.lee', at: now.toISOString(), note: 'Spoke to both: the profile is the right one' });
    const again = await act(id, t['grace.lee'], 'record-doubt-view', { reason: 'Again' });
    expect(again.status).toBe(409);
    // The service manager gives a view; deciding is a director's.
    expect((await act(id, t['grace.lee'], 'resolve-doubt', { outcome: 'resume', reason: 'Carry on' })).status).toBe(403);
    const directors = (await api.server.deps.store.read.outbox.listForRequest(id)).filter((n) => n.kind === 'resolve_doubt').map((n) => n.recipientId);
    expect(directors).toEqual(expect.arrayContaining(['sarah.mitchell', 'robert.hale']));

    now = new Date(START.getTime() + 7_200_000);
    const resolved = await ok(id, t['sarah.mitchell'], 'resolve-doubt', { outcome: 'resume', reason: 'Resume: the service manager has checked the profile' });
    expect(resolved.state).toBe('searching');
    expect(resolved.doubts).toEqual([
      {
        raisedBy: 'amelia.hart',
        raisedAs: 'originating_worker',
        raisedAt: START.toISOString(),
        reason: 'The access worker is looking at the wrong Jane Doe',
        serviceManagerView: { by: 'grace.lee', at: new Date(START.getTime() + 3_600_000).toISOString(), note: 'Spoke to both: the profile is the right one' },
        resolution: { by: 'sarah.mitchell', at: now.toISOString(), outcome: 'resume', note: 'Resume: the service manager has checked the profile' },
      },
    ]);
    // The access worker can still raise a doubt of their own.
    expect((await ok(id, t['imran.malik'], 'raise-doubt', { reason: 'Not sure the period is right' })).doubts).toHaveLength(2);
  });

  test('a search session still running when a doubt is raised ends then: time on hold is not time searching', async () => {
    now = START;
    const { id } = await searching();
    const session = await api.call('POST', `/api/requests/${id}/search-sessions`, { token: t['imran.malik'], body: { corporateAccount: true } });
    expect(session.status).toBe(201);
    now = new Date(START.getTime() + 30 * 60_000);
    await ok(id, t['imran.malik'], 'raise-doubt', { reason: 'Two profiles could be hers' });
    now = new Date(START.getTime() + 60 * 60_000);
    const sessions = (await api.call('GET', `/api/requests/${id}/search-sessions`, { token: t['imran.malik'] })).body as unknown as { id: string; endedAt: string | null; durationSeconds: number | null }[];
    expect(sessions).toEqual([expect.objectContaining({ id: session.body.id, endedAt: new Date(START.getTime() + 30 * 60_000).toISOString(), durationSeconds: 1800 })]);
    expect((await audit(id)).find((e) => e.action === 'end_search_session')).toMatchObject({ actorId: 'system', detail: { sessionId: session.body.id, durationSeconds: 1800, endedBy: 'raise-doubt' } });
  });

  test('a doubt that ends in cancellation after evidence files the log with both notes; the request closes when the worker records the placement, and she is reminded until then', async () => {
    now = START;
    const { id } = await withEvidence();
    await ok(id, t['imran.malik'], 'raise-doubt', { reason: 'The address does not match' });
    await ok(id, t['grace.lee'], 'record-doubt-view', { reason: 'Stop: this is not the right family' });
    const cancelled = await ok(id, t['robert.hale'], 'resolve-doubt', { outcome: 'cancel', reason: 'Cancelled on the service manager’s advice' });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.closedAt).toBeNull();
    expect(actions(await get(id))).toContain('record-placement');
    // Not before the documents are filed.
    const tooSoon = await act(id, t['amelia.hart'], 'record-placement');
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error).toMatchObject({ rule: 'case_record' });

    await api.server.dispatcher.drainOnce();
    const documents = (await api.call('GET', `/api/requests/${id}/documents`, { token: t['amelia.hart'] })).body as unknown as { id: string; kind: string; occasion: string }[];
    const log = documents.find((d) => d.kind === 'investigation_log');
    expect(log?.occasion).toBe('closed_early');
    const bytes = Buffer.from(await (await fetch(`${api.url}/api/requests/${id}/documents/${log?.id ?? ''}/content`, { headers: { authorization: `Bearer ${t['amelia.hart']}` } })).arrayBuffer());
    const xml = (await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('The address does not match');
    expect(xml).toContain('Stop: this is not the right family');
    expect(xml).toContain('Cancelled on the service manager’s advice');

    const deps = api.server.deps;
    const reminders = async () => (await deps.store.read.outbox.listForRequest(id)).filter((m) => m.kind === 'reminder_case_record_due').map((m) => [m.recipientId, m.payload.reminderKey]);
    now = new Date(START.getTime() + DAY);
    await sendDueReminders(deps, DEFAULT_REMINDER_SETTINGS);
    expect(await reminders()).toEqual([]);
    now = new Date(START.getTime() + 2 * DAY);
    await sendDueReminders(deps, DEFAULT_REMINDER_SETTINGS);
    await sendDueReminders(deps, DEFAULT_REMINDER_SETTINGS);
    expect(await reminders()).toEqual([['amelia.hart', 'case-record:0']]);
    now = new Date(START.getTime() + 9 * DAY);
    await sendDueReminders(deps, DEFAULT_REMINDER_SETTINGS);
    expect(await reminders()).toEqual([
      ['amelia.hart', 'case-record:0'],
      ['amelia.hart', 'case-record:1'],
    ]);

    // Only the originating worker records it.
    expect((await act(id, t['tom.reid'], 'record-placement')).status).toBe(403);
    now = new Date(START.getTime() + 10 * DAY);
    const placed = await ok(id, t['amelia.hart'], 'record-placement');
    expect(placed.state).toBe('cancelled');
    expect(placed.caseRecordPlacement).toEqual({ by: 'amelia.hart', at: now.toISOString() });
    expect(placed.closedAt).toBe(now.toISOString());
    expect((await audit(id)).at(-1)).toMatchObject({ action: 'record-placement', actorId: 'amelia.hart', detail: { caseRecordPlacement: { by: 'amelia.hart' } } });
    now = new Date(START.getTime() + 20 * DAY);
    await sendDueReminders(deps, DEFAULT_REMINDER_SETTINGS);
    expect(await reminders()).toHaveLength(2);
    expect((await act(id, t['amelia.hart'], 'record-placement')).status).toBe(409);
  });

  test('a shared log is not closed until the placement is recorded; a request cancelled before any evidence closes at once', async () => {
    now = START;
    const { id, subjectId } = await withEvidence();
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['imran.malik'], body: { findings: [{ subjectId, visibility: 'not_found', summary: 'Nothing public' }] } });
    await ok(id, t['imran.malik'], 'complete-log');
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['amelia.hart'], body: { assessment: { summary: 'Adds little', usefulPieces: 0, uniquePieces: 0, contribution: 'little', actionsTaken: 'None' } } });
    await ok(id, t['amelia.hart'], 'finalise');
    await api.server.dispatcher.drainOnce();
    const shared = await ok(id, t['amelia.hart'], 'share');
    expect(shared).toMatchObject({ state: 'shared', closedAt: null });
    // The finalised documents are not the shared log: placement waits for the version that says with whom.
    expect((await act(id, t['amelia.hart'], 'record-placement')).status).toBe(409);
    await api.server.dispatcher.drainOnce();
    now = new Date(START.getTime() + DAY);
    const closed = await ok(id, t['amelia.hart'], 'record-placement');
    expect(closed).toMatchObject({ state: 'closed', closedAt: now.toISOString(), caseRecordPlacement: { by: 'amelia.hart', at: now.toISOString() } });
    // Feedback is still given after the request closes.
    const feedback = await api.call('PUT', `/api/requests/${id}/feedback`, { token: t['amelia.hart'], body: { usefulPieces: 0, uniquePieces: 0, contribution: 'little' } });
    expect(feedback.status).toBe(200);

    now = START;
    const early = await searching();
    const withdrawn = await ok(early.id, t['amelia.hart'], 'withdraw', { reason: 'No longer needed' });
    expect(withdrawn).toMatchObject({ state: 'cancelled', closedAt: START.toISOString() });
    expect(actions(withdrawn)).not.toContain('record-placement');
  });
});
