/**
 * Protocol fidelity over HTTP (issue 14), with a clock the test moves: a one-off check is one
 * review, each session carries the access worker's own corporate-account confirmation, the log is
 * shared with the team manager, the case's service manager and the director and filed again,
 * every request reaches a real team manager, the pilot's scope holds and feedback keeps its
 * integrity. Each refusal is a 4xx naming its rule, changes nothing and is audited.
 */
import JSZip from 'jszip';
import { startApi, type ApiBody, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES, requestBody, uploadEvidence } from './helpers';
import { withSupervisionNote } from '../../support/action-body';

const DAY = 86_400_000;
// Ahead of the wall clock, since the outbox stamps its messages with the database's own time.
const START = new Date('2027-01-04T09:00:00Z');

describe('protocol fidelity over HTTP', () => {
  let api: ApiHarness;
  let now = START;
  let t: Record<'amelia.hart' | 'tom.reid' | 'sarah.mitchell' | 'imran.malik' | 'grace.lee' | 'robert.hale', string>;
  beforeAll(async () => {
    api = await startApi('PGlite', { clock: { now: () => now } });
    t = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'imran.malik', 'grace.lee', 'robert.hale');
  });
  afterAll(async () => api.close());

  const get = async (id: string, token: string) => (await api.call('GET', `/api/requests/${id}`, { token })).body;
  const act = async (id: string, token: string, action: string, body: Record<string, unknown> = {}) => {
    const current = await get(id, token);
    return api.call('POST', `/api/requests/${id}/actions/${action}`, { token, body: { version: current.version, ...withSupervisionNote(action, body) } });
  };
  const ok = async (id: string, token: string, action: string, body: Record<string, unknown> = {}): Promise<ApiBody> => {
    const r = await act(id, token, action, body);
    expect({ action, status: r.status, error: r.body.error }).toEqual({ action, status: 200, error: undefined });
    return r.body;
  };
  const startSession = (id: string) => api.call('POST', `/api/requests/${id}/search-sessions`, { token: t['imran.malik'], body: { corporateAccount: true } });
  const endSession = (id: string, sid: string) => api.call('POST', `/api/requests/${id}/search-sessions/${sid}/end`, { token: t['imran.malik'] });
  const lastAudit = async (id: string) => {
    const entries = (await api.call('GET', `/api/requests/${id}/audit`, { token: t['amelia.hart'] })).body as unknown as { action: string; detail: Record<string, unknown> | null }[];
    return entries.at(-1);
  };

  /** A request by Amelia (one-off unless the form says otherwise) taken to "searching" by Imran. */
  async function searchingWith(overrides: Record<string, unknown>, authorisation: Record<string, unknown>): Promise<{ id: string; subjectId: string }> {
    const created = await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody(overrides) });
    const id = created.body.id as string;
    await ok(id, t['amelia.hart'], 'submit');
    await ok(id, t['tom.reid'], 'agree', { note: 'Supervision' });
    await ok(id, t['sarah.mitchell'], 'authorise', authorisation);
    await ok(id, t['imran.malik'], 'claim');
    await ok(id, t['imran.malik'], 'confirm-legitimacy');
    return { id, subjectId: created.body.subjects?.[0]?.id ?? '' };
  }
  const searching = (overrides: Record<string, unknown> = {}) => searchingWith(overrides, {});

  test('a one-off check searches only within its review window from the first session; the view says when it closes', async () => {
    now = START;
    const { id } = await searching();
    expect((await get(id, t['imran.malik'])).searchWindowClosesAt).toBeNull();
    const first = await startSession(id);
    expect(first.status).toBe(201);
    expect((await get(id, t['imran.malik'])).searchWindowClosesAt).toBe(new Date(START.getTime() + 7 * DAY).toISOString());
    await endSession(id, first.body.id as string);

    now = new Date(START.getTime() + 7 * DAY - 60_000);
    const last = await startSession(id);
    expect(last.status).toBe(201);
    await endSession(id, last.body.id as string);

    now = new Date(START.getTime() + 7 * DAY);
    const before = await get(id, t['imran.malik']);
    const late = await startSession(id);
    expect(late.status).toBe(403);
    expect(late.body.error).toMatchObject({ code: 'forbidden', rule: 'one_off_review' });
    expect(late.body.error?.message).toMatch(/Searching again needs a new authorisation/);
    const after = await get(id, t['imran.malik']);
    expect({ state: after.state, version: after.version }).toEqual({ state: before.state, version: before.version });
    const sessions = (await api.call('GET', `/api/requests/${id}/search-sessions`, { token: t['imran.malik'] })).body as unknown as unknown[];
    expect(sessions).toHaveLength(2);
    expect(await lastAudit(id)).toMatchObject({ action: 'refused:search', detail: { code: 'forbidden', rule: 'one_off_review' } });
  });

  test('sessions start only until the log is completed', async () => {
    now = START;
    const { id, subjectId } = await searching({ subjects: [{ kind: 'service_user', name: 'Jane Doe' }] });
    const s = await startSession(id);
    await endSession(id, s.body.id as string);
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['imran.malik'], body: { findings: [{ subjectId, visibility: 'not_found', summary: 'Nothing public' }] } });
    await ok(id, t['imran.malik'], 'complete-log');
    const again = await startSession(id);
    expect(again.status).toBe(409);
  });

  test('each session needs the access worker’s own corporate-account confirmation, recorded per session', async () => {
    now = START;
    const { id } = await searching();
    for (const body of [undefined, {}, { corporateAccount: false }, { corporateAccount: 'yes' }]) {
      const refused = await api.call('POST', `/api/requests/${id}/search-sessions`, { token: t['imran.malik'], ...(body ? { body } : {}) });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'validation', rule: 'corporate_account', fields: { corporateAccount: expect.any(String) } });
    }
    expect((await api.call('GET', `/api/requests/${id}/search-sessions`, { token: t['imran.malik'] })).body).toEqual([]);
    expect(await lastAudit(id)).toMatchObject({ action: 'refused:search', detail: { rule: 'corporate_account' } });
    const started = await startSession(id);
    expect(started.status).toBe(201);
    expect(started.body.corporateAccount).toBe(true);
    const audit = await lastAudit(id);
    expect(audit).toMatchObject({ action: 'start_search_session', detail: { corporateAccount: true } });
  });

  test('each session records the people it searched (DESIGN §3): everyone in scope unless named, and no one outside the scope', async () => {
    now = START;
    const { id } = await searching({ subjects: [{ kind: 'service_user', name: 'Jane Doe' }, { kind: 'family_member', name: 'John Doe' }] });
    const view = await api.call('GET', `/api/requests/${id}`, { token: t['imran.malik'] });
    const [jane, john] = (view.body.subjects as { id: string }[]).map((subject) => subject.id);
    const post = (body: Record<string, unknown>) => api.call('POST', `/api/requests/${id}/search-sessions`, { token: t['imran.malik'], body: { corporateAccount: true, ...body } });
    for (const [subjectIds, field] of [[[], 'Choose at least one person to search.'], [[jane, jane], 'Choose each person once.'], ['x', 'Send the people searched as a list.']] as const) {
      const refused = await post({ subjectIds });
      expect([refused.status, refused.body.error?.fields?.subjectIds]).toEqual([400, field]);
    }
    const outside = await post({ subjectIds: [jane, '11111111-1111-4111-8111-111111111111'] });
    expect(outside.status).toBe(403);
    expect(outside.body.error?.fields).toEqual({ subjectIds: 'Not in the authorised scope.' });
    expect((await api.call('GET', `/api/requests/${id}/search-sessions`, { token: t['imran.malik'] })).body).toEqual([]);
    const one = await post({ subjectIds: [john] });
    expect([one.status, one.body.subjectIds]).toEqual([201, [john]]);
    expect(await lastAudit(id)).toMatchObject({ action: 'start_search_session', detail: { subjectIds: [john] } });
    await api.call('POST', `/api/requests/${id}/search-sessions/${one.body.id as string}/end`, { token: t['imran.malik'] });
    const everyone = await post({});
    expect(everyone.body.subjectIds).toEqual([jane, john]);
  });

  test('the log is shared with the team manager, the case’s service manager and the director, and filed again saying so; the finalised version is kept', async () => {
    now = START;
    const { id, subjectId } = await searching({ subjects: [{ kind: 'service_user', name: 'Jane Doe' }] });
    const s = await startSession(id);
    await endSession(id, s.body.id as string);
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['imran.malik'], body: { findings: [{ subjectId, visibility: 'not_found', summary: 'Nothing public' }] } });
    await ok(id, t['imran.malik'], 'complete-log');
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['amelia.hart'], body: { assessment: { summary: 'Adds little', usefulPieces: 0, uniquePieces: 0, contribution: 'little', actionsTaken: 'None' } } });
    await ok(id, t['amelia.hart'], 'finalise');
    await api.server.dispatcher.drainOnce();
    now = new Date(START.getTime() + DAY);
    // The directory names Grace Lee for Tom Reid's team, so the worker may not name another.
    const other = await act(id, t['amelia.hart'], 'share', { serviceManagerId: 'robert.hale' });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ rule: 'sharing', fields: { serviceManagerId: expect.any(String) } });
    const shared = await ok(id, t['amelia.hart'], 'share');
    const at = now.toISOString();
    expect(shared.sharedWith).toEqual([
      { personId: 'tom.reid', at },
      { personId: 'grace.lee', at },
      { personId: 'sarah.mitchell', at },
    ]);
    await api.server.dispatcher.drainOnce();
    const documents = (await api.call('GET', `/api/requests/${id}/documents`, { token: t['grace.lee'] })).body as unknown as { id: string; kind: string; occasion: string; version: number; fileName: string }[];
    expect(documents.map((d) => [d.kind, d.occasion, d.version])).toEqual([
      ['investigation_log', 'finalise', 1],
      ['investigation_log', 'share', 2],
      ['investigation_request', 'finalise', 1],
    ]);
    const text = async (documentId: string) => {
      const bytes = Buffer.from(await (await fetch(`${api.url}/api/requests/${id}/documents/${documentId}/content`, { headers: { authorization: `Bearer ${t['grace.lee']}` } })).arrayBuffer());
      return (await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string')) ?? '';
    };
    const [v1, v2] = documents.filter((d) => d.kind === 'investigation_log');
    expect(await text(v1?.id ?? '')).toContain('Not yet shared.');
    const second = await text(v2?.id ?? '');
    expect(second).toContain('Grace Lee');
    expect(second).toContain('Tom Reid');
    expect(second).toContain('Sarah Mitchell');
    expect(v2?.fileName).toMatch(/-investigation-log-v2\.docx$/);
    const notes = (await api.call('GET', `/api/requests/${id}/notifications`, { token: t['amelia.hart'] })).body as unknown as { kind: string; recipientId: string }[];
    expect(notes.filter((n) => n.kind === 'log_shared').map((n) => n.recipientId).sort()).toEqual(['grace.lee', 'sarah.mitchell', 'tom.reid']);
  });

  test('a team manager’s own request goes to a team manager they choose, and is shared with a service manager they choose when the directory names none', async () => {
    now = START;
    // Tom Reid's manager in the directory is Grace Lee, a service manager: not someone who can agree.
    const created = await api.call('POST', '/api/requests', { token: t['tom.reid'], body: requestBody({ subjects: [{ kind: 'service_user', name: 'John Roe' }] }) });
    const id = created.body.id as string;
    const unchosen = await act(id, t['tom.reid'], 'submit');
    expect(unchosen.status).toBe(400);
    expect(unchosen.body.error).toMatchObject({ code: 'validation', rule: 'team_manager_role', fields: { teamManagerId: 'Choose a team manager.' } });
    expect(unchosen.body.error?.message).toMatch(/Grace Lee, your manager in the directory, is not a team manager/);
    const notManager = await act(id, t['tom.reid'], 'submit', { teamManagerId: 'sarah.mitchell' });
    expect(notManager.status).toBe(400);
    expect(notManager.body.error?.rule).toBe('team_manager_role');
    expect(await get(id, t['tom.reid'])).toMatchObject({ state: 'draft', version: 1 });
    const audit = (await api.call('GET', `/api/requests/${id}/audit`, { token: t['tom.reid'] })).body as unknown as { action: string }[];
    expect(audit.map((e) => e.action)).toEqual(['create', 'refused:submit', 'refused:submit']);

    const submitted = await ok(id, t['tom.reid'], 'submit', { teamManagerId: 'robert.hale' });
    expect(submitted).toMatchObject({ state: 'awaiting_team_manager', teamManagerId: 'robert.hale' });
    expect((await get(id, t['robert.hale'])).allowedActions).toContainEqual({ action: 'agree', reasonRequired: false });
    await ok(id, t['robert.hale'], 'agree');
    await ok(id, t['sarah.mitchell'], 'authorise');
    await ok(id, t['imran.malik'], 'claim');
    await ok(id, t['imran.malik'], 'confirm-legitimacy');
    const s = await startSession(id);
    await endSession(id, s.body.id as string);
    const subjectId = created.body.subjects?.[0]?.id ?? '';
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['imran.malik'], body: { findings: [{ subjectId, visibility: 'not_found', summary: 'Nothing public' }] } });
    await ok(id, t['imran.malik'], 'complete-log');
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['tom.reid'], body: { assessment: { summary: 'Nothing', usefulPieces: 0, uniquePieces: 0, contribution: 'little', actionsTaken: 'None' } } });
    await ok(id, t['tom.reid'], 'finalise');
    // Robert Hale has no manager in the directory: the worker names the service manager.
    const unnamed = await act(id, t['tom.reid'], 'share');
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error).toMatchObject({ rule: 'sharing', fields: { serviceManagerId: 'Choose a service manager.' } });
    const wrong = await act(id, t['tom.reid'], 'share', { serviceManagerId: 'amelia.hart' });
    expect(wrong.status).toBe(400);
    const shared = await ok(id, t['tom.reid'], 'share', { serviceManagerId: 'grace.lee' });
    expect(shared.sharedWith).toEqual([
      { personId: 'robert.hale', at: now.toISOString() },
      { personId: 'grace.lee', at: now.toISOString() },
      { personId: 'sarah.mitchell', at: now.toISOString() },
    ]);
  });

  test('the pilot’s scope: profile and source links outside the platforms in scope, and children of the case as people to check, are refused', async () => {
    now = START;
    const offPlatform = await api.call('POST', '/api/requests', {
      token: t['amelia.hart'],
      body: requestBody({ subjects: [{ kind: 'service_user', name: 'Jane Doe', profileUrl: 'https://www.instagram.com/jane.doe' }] }),
    });
    expect(offPlatform.status).toBe(400);
    expect(offPlatform.body.error).toMatchObject({ code: 'validation', rule: 'pilot_platforms', fields: { 'subjects.0.profileUrl': expect.stringMatching(/facebook\.com/) } });
    const lookalike = await api.call('POST', '/api/requests', {
      token: t['amelia.hart'],
      body: requestBody({ subjects: [{ kind: 'service_user', name: 'Jane Doe', profileUrl: 'https://facebook.com.example.net/jane' }] }),
    });
    expect(lookalike.body.error?.rule).toBe('pilot_platforms');
    const child = await api.call('POST', '/api/requests', {
      token: t['amelia.hart'],
      body: requestBody({ children: [{ name: 'Sam Doe', dateOfBirth: '2015-04-01' }], subjects: [{ kind: 'family_member', name: 'sam  doe' }] }),
    });
    expect(child.status).toBe(400);
    expect(child.body.error).toMatchObject({ rule: 'adult_subjects', fields: { 'subjects.0.name': expect.stringMatching(/child of the case/) } });
    const onFacebook = await api.call('POST', '/api/requests', {
      token: t['amelia.hart'],
      body: requestBody({ subjects: [{ kind: 'service_user', name: 'Jane Doe', profileUrl: 'https://m.facebook.com/jane.doe' }] }),
    });
    expect(onFacebook.status).toBe(201);
    const draftId = onFacebook.body.id as string;
    const edited = await api.call('PUT', `/api/requests/${draftId}`, {
      token: t['amelia.hart'],
      body: { ...requestBody({ subjects: [{ kind: 'service_user', name: 'Jane Doe', profileUrl: 'https://x.com/jane' }] }), version: 1 },
    });
    expect(edited.body.error?.rule).toBe('pilot_platforms');
    expect((await get(draftId, t['amelia.hart'])).version).toBe(1);
    expect(await lastAudit(draftId)).toMatchObject({ action: 'refused:edit-draft', detail: { rule: 'pilot_platforms' } });

    const { id, subjectId } = await searching();
    const s = await startSession(id);
    const outside = await uploadEvidence(api, t['imran.malik'], id, { subjectId, sourceUrl: 'https://www.tiktok.com/@jane' }, PNG_BYTES, 'a.png');
    expect(outside.status).toBe(400);
    expect(outside.body.error).toMatchObject({ rule: 'pilot_platforms', fields: { 'metadata.sourceUrl': expect.any(String) } });
    expect((await api.call('GET', `/api/requests/${id}/evidence`, { token: t['imran.malik'] })).body).toEqual([]);
    const finding = await api.call('PUT', `/api/requests/${id}/log`, {
      token: t['imran.malik'],
      body: { findings: [{ subjectId, visibility: 'public', profileUrl: 'https://www.instagram.com/jane', summary: 'Seen' }] },
    });
    expect(finding.body.error).toMatchObject({ rule: 'pilot_platforms', fields: { 'findings.0.profileUrl': expect.any(String) } });
    const inside = await uploadEvidence(api, t['imran.malik'], id, { subjectId }, PNG_BYTES, 'a.png');
    expect(inside.status).toBe(201);
    await endSession(id, s.body.id as string);
  });

  test('feedback: times come from the sessions, a later save keeps earlier answers, the follow-up opens six months after sharing', async () => {
    now = START;
    const { id, subjectId } = await searching({ subjects: [{ kind: 'service_user', name: 'Jane Doe' }] });
    const s = await startSession(id);
    now = new Date(START.getTime() + 30 * 60_000);
    await endSession(id, s.body.id as string);
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['imran.malik'], body: { findings: [{ subjectId, visibility: 'not_found', summary: 'Nothing public' }] } });
    await ok(id, t['imran.malik'], 'complete-log');
    await api.call('PUT', `/api/requests/${id}/log`, { token: t['amelia.hart'], body: { assessment: { summary: 'Little', usefulPieces: 1, uniquePieces: 0, contribution: 'little', actionsTaken: 'None' } } });
    await ok(id, t['amelia.hart'], 'finalise');
    await ok(id, t['amelia.hart'], 'share');
    const sharedAt = now.getTime();
    const put = (body: unknown) => api.call('PUT', `/api/requests/${id}/feedback`, { token: t['amelia.hart'], body });

    const incomplete = await put({ comments: 'Only a comment' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error?.fields).toMatchObject({ usefulPieces: expect.any(String), contribution: expect.any(String) });
    const first = await put({ usefulPieces: 1, uniquePieces: 0, contribution: 'some', comments: 'Quick to arrange' });
    expect(first.body.feedback).toEqual({ timesUsed: 1, searchMinutes: 30, usefulPieces: 1, uniquePieces: 0, contribution: 'some', comments: 'Quick to arrange' });

    const early = await put({ followUp: { longerTermUsefulness: 'considerable' } });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ rule: 'follow_up_timing', fields: { followUp: expect.stringMatching(/Not before/) } });
    expect(await lastAudit(id)).toMatchObject({ action: 'refused:give-feedback', detail: { rule: 'follow_up_timing' } });

    now = new Date(sharedAt + 182 * DAY);
    const followUp = await put({ followUp: { longerTermUsefulness: 'considerable', comments: 'Used at the review conference' } });
    expect(followUp.status).toBe(200);
    expect(followUp.body.feedback).toEqual({
      timesUsed: 1,
      searchMinutes: 30,
      usefulPieces: 1,
      uniquePieces: 0,
      contribution: 'some',
      comments: 'Quick to arrange',
      followUp: { longerTermUsefulness: 'considerable', comments: 'Used at the review conference' },
    });
    const later = await put({ usefulPieces: 2 });
    expect(later.body.feedback).toMatchObject({ usefulPieces: 2, contribution: 'some', comments: 'Quick to arrange', followUp: { longerTermUsefulness: 'considerable' } });
  });

  test('monitoring holds one review per authorised period; a request cancelled after evidence was captured files its log as it stands', async () => {
    now = START;
    const { id, subjectId } = await searchingWith({ monitoring: { justification: 'Ongoing risk', frequency: 'weekly', endDate: '2027-03-01' } }, { reviewDates: ['2027-02-01'] });
    const first = await startSession(id);
    expect(first.status).toBe(201);
    await uploadEvidence(api, t['imran.malik'], id, { subjectId }, PNG_BYTES, 'a.png');
    await endSession(id, first.body.id as string);
    now = new Date(START.getTime() + 3 * DAY);
    const early = await startSession(id);
    expect(early.status).toBe(403);
    expect(early.body.error).toMatchObject({ code: 'forbidden', rule: 'monitoring_frequency' });
    expect(early.body.error?.message).toMatch(/next may start on 11\/01\/2027/);
    now = new Date(START.getTime() + 7 * DAY);
    const next = await startSession(id);
    expect(next.status).toBe(201);
    await endSession(id, next.body.id as string);

    await ok(id, t['sarah.mitchell'], 'cancel', { reason: 'The family has moved out of the area' });
    await api.server.dispatcher.drainOnce();
    const documents = (await api.call('GET', `/api/requests/${id}/documents`, { token: t['amelia.hart'] })).body as unknown as { kind: string; occasion: string }[];
    expect(documents.map((d) => [d.kind, d.occasion])).toEqual([
      ['investigation_log', 'closed_early'],
      ['investigation_request', 'closed_early'],
    ]);
  });
});
