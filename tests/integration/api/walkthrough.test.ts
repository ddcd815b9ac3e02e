/**
 * The API over real HTTP: one request walked from draft to shared by the seeded people, on
 * embedded PGlite and on a PostgreSQL server.
 */
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES, requestBody, uploadEvidence } from './helpers';
import { withSupervisionNote } from '../../support/action-body';

describe.each(BACKENDS)('walk-through on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(backend);
  });
  afterAll(async () => api.close());

  test('draft → shared by the seeded people, with audit, outbox and evidence', async () => {
    const t = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'hannah.cole', 'grace.lee');
    const [osw, tm, sd, aaw, sm] = [t['amelia.hart'], t['tom.reid'], t['sarah.mitchell'], t['hannah.cole'], t['grace.lee']];
    const health = await api.call('GET', '/api/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });

    const me = await api.call('GET', '/api/me', { token: osw });
    expect(me.body).toMatchObject({ id: 'amelia.hart', roles: ['social_worker'], managerId: 'tom.reid' });

    const created = await api.call('POST', '/api/requests', { token: osw, body: requestBody() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', version: 1, caseReference: 'CM-1001', allowedActions: [{ action: 'submit', reasonRequired: false }, { action: 'withdraw', reasonRequired: true }], waitingForMe: true });
    expect(created.body.reference).toMatch(/^SMC-\d{4}-\d{6}$/);
    const id = created.body.id as string;
    const subjects = created.body.subjects ?? [];
    expect(subjects).toHaveLength(2);

    const edited = await api.call('PUT', `/api/requests/${id}`, { token: osw, body: { ...requestBody(), subjects, version: 1, concernDetails: 'Updated details' } });
    expect(edited.body).toMatchObject({ version: 2, concernDetails: 'Updated details' });
    expect(edited.body.subjects?.map((s) => s.id)).toEqual(subjects.map((s) => s.id));

    const act = async (token: string, action: string, body: Record<string, unknown>) => {
      const current = await api.call('GET', `/api/requests/${id}`, { token });
      const response = await api.call('POST', `/api/requests/${id}/actions/${action}`, { token, body: { version: current.body.version, ...withSupervisionNote(action, body) } });
      expect({ action, status: response.status, error: response.body.error }).toEqual({ action, status: 200, error: undefined });
      return response.body;
    };

    expect((await act(osw, 'submit', {})).state).toBe('awaiting_team_manager');
    const tmView = await api.call('GET', `/api/requests/${id}`, { token: tm });
    expect(tmView.body.allowedActions).toEqual([
      { action: 'agree', reasonRequired: false },
      { action: 'decline', reasonRequired: true },
      { action: 'return', reasonRequired: true },
      { action: 'withdraw', reasonRequired: true },
    ]);
    expect((await act(tm, 'agree', { note: 'Discussed in supervision on 24/11' })).state).toBe('awaiting_service_director');
    const firstSubject = subjects[0]?.id ?? '';
    const authorised = await act(sd, 'authorise', { subjectIds: [firstSubject], conditions: 'Public photographs only' });
    expect(authorised).toMatchObject({ state: 'authorised', authorisation: { by: 'sarah.mitchell', scope: { subjectIds: [firstSubject], kind: 'one_off', conditions: 'Public photographs only' } } });
    // Browsing the register shows what is needed to claim, not dates of birth or addresses.
    const browsing = await api.call('GET', `/api/requests/${id}`, { token: aaw });
    expect(browsing.body).toMatchObject({ children: [{ name: 'Child A' }], subjects: [{ name: 'Jane Doe', relationshipToChild: 'Mother' }, {}] });
    expect(JSON.stringify(browsing.body)).not.toMatch(/2015-04-01|Wakefield/);
    const claimed = await act(aaw, 'claim', {});
    expect(claimed).toMatchObject({ state: 'assigned', children: [{ dateOfBirth: '2015-04-01' }], subjects: [{ area: 'Wakefield' }, {}] });
    expect((await act(aaw, 'confirm-legitimacy', {})).state).toBe('searching');

    const started = await api.call('POST', `/api/requests/${id}/search-sessions`, { token: aaw, body: { corporateAccount: true } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ corporateAccount: true });
    const upload = await uploadEvidence(api, aaw, id, { subjectId: firstSubject }, PNG_BYTES, 'screenshot.png');
    expect(upload.status).toBe(201);
    // From the first evidence item on, the originating worker and team manager may read the request's folder.
    expect((await api.server.store.read.outbox.listForRequest(id)).filter((m) => m.kind === 'grant_folder_readers')).toHaveLength(1);
    expect(upload.body).toMatchObject({ size: PNG_BYTES.length, sha256: createHash('sha256').update(PNG_BYTES).digest('hex'), contentType: 'image/png', publiclyVisible: true });
    const ended = await api.call('POST', `/api/requests/${id}/search-sessions/${started.body.id as string}/end`, { token: aaw });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: started.body.id, startedAt: started.body.startedAt });
    expect(typeof ended.body.durationSeconds).toBe('number');

    const content = await fetch(`${api.url}/api/requests/${id}/evidence/${upload.body.id as string}/content`, { headers: { authorization: `Bearer ${sd}` } });
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).equals(PNG_BYTES)).toBe(true);

    const log = await api.call('PUT', `/api/requests/${id}/log`, {
      token: aaw,
      body: {
        findings: [{ subjectId: firstSubject, visibility: 'public', profileUrl: 'https://www.facebook.com/jane.doe', summary: 'Public photographs with the named adult' }],
        furtherPersons: [{ description: 'A man tagged in several photographs' }],
        accessWorkerComments: 'Corporate account used throughout',
      },
    });
    expect(log.status).toBe(200);
    expect((await act(aaw, 'complete-log', {})).state).toBe('with_originating_worker');
    const assessed = await api.call('PUT', `/api/requests/${id}/log`, {
      token: osw,
      body: { assessment: { summary: 'Confirms contact continues', usefulPieces: 3, uniquePieces: 2, contribution: 'considerable', actionsTaken: 'Safety plan reviewed' } },
    });
    expect(assessed.status).toBe(200);
    expect(assessed.body.log).toMatchObject({ findings: [{ subjectId: firstSubject }], assessment: { contribution: 'considerable' } });
    expect((await act(osw, 'finalise', {})).state).toBe('finalised');
    // The request and the log are filed as .docx after the finalise commits, through the outbox.
    await api.server.dispatcher.drainOnce();
    const documents = await api.call('GET', `/api/requests/${id}/documents`, { token: sd });
    const filed = documents.body as unknown as { id: string; kind: string; fileName: string; sha256: string }[];
    expect(filed.map((d) => d.kind)).toEqual(['investigation_log', 'investigation_request']);
    const logDoc = filed.find((d) => d.kind === 'investigation_log');
    const docx = await fetch(`${api.url}/api/requests/${id}/documents/${logDoc?.id ?? ''}/content`, { headers: { authorization: `Bearer ${sd}` } });
    expect(docx.status).toBe(200);
    const bytes = Buffer.from(await docx.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(logDoc?.sha256);
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string');
    expect(xml).toContain('Public photographs with the named adult');
    expect(xml).toContain('Confirms contact continues');
    const removal = await api.call('DELETE', `/api/requests/${id}/evidence/${upload.body.id as string}`, { token: aaw });
    expect(removal.status).toBe(403);
    expect(removal.body.error?.message).toMatch(/cannot be deleted or replaced/);
    const shared = await act(osw, 'share', {});
    expect(shared.state).toBe('shared');
    // The request closes only once the originating worker records the documents are on the case record.
    expect(shared.allowedActions).toEqual([{ action: 'record-placement', reasonRequired: false }]);

    // Times used and time searching are the system's; a typed value is not taken.
    const feedback = await api.call('PUT', `/api/requests/${id}/feedback`, { token: osw, body: { timesUsed: 9, searchMinutes: 25, usefulPieces: 3, uniquePieces: 2, contribution: 'considerable' } });
    expect(feedback.status).toBe(200);
    expect(feedback.body.feedback).toEqual({ timesUsed: 1, searchMinutes: 0, usefulPieces: 3, uniquePieces: 2, contribution: 'considerable' });

    const smView = await api.call('GET', `/api/requests/${id}`, { token: sm });
    expect(smView.body).toMatchObject({ state: 'shared', sharedWith: [{ personId: 'tom.reid' }, { personId: 'grace.lee' }, { personId: 'sarah.mitchell' }] });

    const timeline = await api.call('GET', `/api/requests/${id}/audit`, { token: osw });
    const actions = (timeline.body as unknown as { action: string; toState: string; actorName: string }[]).map((e) => e.action);
    expect(actions).toEqual([
      'create', 'edit_draft', 'submit', 'agree', 'authorise', 'claim', 'confirm-legitimacy', 'start_search_session', 'add_evidence',
      'end_search_session', 'view_evidence', 'save_log', 'complete-log', 'save_log', 'finalise', 'file_record_documents', 'view_record_document', 'share', 'save_feedback',
    ]);
    // Each person sees the notifications their own steps sent.
    const sentBy = async (token: string) =>
      ((await api.call('GET', `/api/requests/${id}/notifications`, { token })).body as unknown as { kind: string; recipientId: string }[]).map((n) => `${n.kind}:${n.recipientId}`);
    const fromOsw = await sentBy(osw);
    expect(fromOsw).toEqual(expect.arrayContaining(['agree_request:tom.reid', 'log_shared:grace.lee']));
    expect(await sentBy(tm)).toEqual(expect.arrayContaining(['authorise_request:sarah.mitchell', 'authorise_request:robert.hale']));
    expect(await sentBy(sd)).toEqual(expect.arrayContaining(['claim_request:hannah.cole']));
    expect(await sentBy(aaw)).toEqual(expect.arrayContaining(['log_ready:amelia.hart']));
    expect([...fromOsw, ...(await sentBy(sd))]).not.toContain('claim_request:amelia.hart');

    const list = await api.call('GET', '/api/requests?mine=true&state=shared', { token: osw });
    expect((list.body.items as { id: string }[]).map((r) => r.id)).toEqual([id]);
    const strangers = await api.call('GET', '/api/requests', { token: await api.token('ben.okafor') });
    expect(strangers.body.items).toEqual([]);
  });
});
