/**
 * A refusal for every endpoint that takes a caller, over real HTTP: the status and code the
 * policy gives, nothing changed, and the refusal written to the audit trail with its reason.
 */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES, requestBody, uploadEvidence } from './helpers';
import { withSupervisionNote } from '../../support/action-body';

describe.each(BACKENDS)('refusals on %s', (backend) => {
  let api: ApiHarness;
  let t: Record<'osw' | 'tm' | 'sd' | 'aaw' | 'stranger' | 'sm' | 'otherAaw', string>;
  /** A request taken to `searching`, with one session held and one evidence item. */
  let searching: { id: string; version: number; subjectId: string; sessionId: string; evidenceId: string };
  let draftId: string;

  // Starting the server and setting up are separate hooks, so each has jest's whole time limit.
  beforeAll(async () => {
    api = await startApi(backend);
  });
  beforeAll(async () => {
    const tokens = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'imran.malik', 'ben.okafor', 'grace.lee', 'jack.turner');
    t = {
      osw: tokens['amelia.hart'],
      tm: tokens['tom.reid'],
      sd: tokens['sarah.mitchell'],
      aaw: tokens['imran.malik'],
      stranger: tokens['ben.okafor'],
      sm: tokens['grace.lee'],
      otherAaw: tokens['jack.turner'],
    };
    draftId = (await api.call('POST', '/api/requests', { token: t.osw, body: requestBody() })).body.id as string;
    const created = await api.call('POST', '/api/requests', { token: t.osw, body: requestBody() });
    const id = created.body.id as string;
    let version = 1;
    for (const [token, action] of [[t.osw, 'submit'], [t.tm, 'agree'], [t.sd, 'authorise'], [t.aaw, 'claim'], [t.aaw, 'confirm-legitimacy']] as const) {
      const r = await api.call('POST', `/api/requests/${id}/actions/${action}`, { token, body: withSupervisionNote(action, { version }) });
      expect(r.status).toBe(200);
      version = r.body.version as number;
    }
    const subjectId = created.body.subjects?.[0]?.id ?? '';
    const session = await api.call('POST', `/api/requests/${id}/search-sessions`, { token: t.aaw, body: { corporateAccount: true } });
    const upload = await uploadEvidence(api, t.aaw, id, { subjectId }, PNG_BYTES, 'shot.png');
    expect(upload.status).toBe(201);
    searching = { id, version, subjectId, sessionId: session.body.id as string, evidenceId: upload.body.id as string };
  });
  // When the server never started (its hook timed out) there is nothing to close.
  afterAll(async () => api?.close());

  /** In the order they were written: the chain's `seq` is given later, by the sequencer. */
  async function refusalsOn(id: string): Promise<{ action: string; actorId: string; reason: string }[]> {
    const rows = await api.server.store.db.selectFrom('audit_entries').select(['action', 'actor_id', 'reason']).where('request_id', '=', id).where('action', 'like', 'refused:%').orderBy('position').execute();
    return rows.map((r) => ({ action: r.action, actorId: r.actor_id, reason: r.reason ?? '' }));
  }

  /** Calls, expects the refusal, and finds it as the latest audited refusal on the request. */
  async function refused(call: Promise<{ status: number; body: { error?: { code: string; message: string } } }>, status: number, code: string, ability: string, requestId: string, actorId: string) {
    const r = await call;
    expect(r.status).toBe(status);
    expect(r.body.error?.code).toBe(code);
    expect((await refusalsOn(requestId)).at(-1)).toEqual({ action: `refused:${ability}`, actorId, reason: r.body.error?.message });
  }

  test('seeing a request: someone it is not for is told it is not found, and that is recorded', async () => {
    const { id } = searching;
    await refused(api.call('GET', `/api/requests/${draftId}`, { token: t.stranger }), 404, 'not_found', 'view', draftId, 'ben.okafor');
    await refused(api.call('GET', `/api/requests/${id}`, { token: t.otherAaw }), 404, 'not_found', 'view', id, 'jack.turner');
    await refused(api.call('GET', `/api/requests/${id}/audit`, { token: t.stranger }), 404, 'not_found', 'view', id, 'ben.okafor');
    await refused(api.call('GET', `/api/requests/${id}/notifications`, { token: t.stranger }), 404, 'not_found', 'view', id, 'ben.okafor');
    await refused(api.call('GET', `/api/requests/${id}/search-sessions`, { token: t.stranger }), 404, 'not_found', 'view', id, 'ben.okafor');
    await refused(api.call('GET', `/api/requests/${id}/evidence`, { token: t.stranger }), 404, 'not_found', 'view', id, 'ben.okafor');
    await refused(api.call('GET', `/api/requests/${id}/documents`, { token: t.stranger }), 404, 'not_found', 'view', id, 'ben.okafor');
    await refused(
      api.call('GET', `/api/requests/${id}/documents/00000000-0000-4000-8000-000000000000/content`, { token: t.stranger }),
      404,
      'not_found',
      'view',
      id,
      'ben.okafor',
    );
    await refused(api.call('GET', `/api/requests/${id}/evidence/${searching.evidenceId}/content`, { token: t.stranger }), 404, 'not_found', 'view-evidence', id, 'ben.okafor');
    // A request that does not exist is simply not found: there was nothing to refuse.
    const before = await api.server.store.db.selectFrom('audit_entries').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect((await api.call('GET', '/api/requests/00000000-0000-4000-8000-000000000000', { token: t.stranger })).status).toBe(404);
    const after = await api.server.store.db.selectFrom('audit_entries').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  test('editing a draft: only its originator, only while it is a draft', async () => {
    const { id } = searching;
    await refused(api.call('PUT', `/api/requests/${id}`, { token: t.osw, body: requestBody({ version: searching.version }) }), 409, 'invalid_state', 'edit-draft', id, 'amelia.hart');
    await refused(api.call('PUT', `/api/requests/${id}`, { token: t.sd, body: requestBody({ version: searching.version }) }), 403, 'forbidden', 'edit-draft', id, 'sarah.mitchell');
    const r = await api.call('GET', `/api/requests/${id}`, { token: t.osw });
    expect(r.body.version).toBe(searching.version);
  });

  test('a workflow action by the wrong person', async () => {
    await refused(api.call('POST', `/api/requests/${searching.id}/actions/complete-log`, { token: t.sd, body: { version: searching.version } }), 403, 'forbidden', 'complete-log', searching.id, 'sarah.mitchell');
  });

  test('search sessions: only the access worker holding the request starts or ends one', async () => {
    const { id, sessionId } = searching;
    await refused(api.call('POST', `/api/requests/${id}/search-sessions`, { token: t.sd }), 403, 'forbidden', 'search', id, 'sarah.mitchell');
    await refused(api.call('POST', `/api/requests/${id}/search-sessions/${sessionId}/end`, { token: t.osw }), 403, 'forbidden', 'end-search-session', id, 'amelia.hart');
    const sessions = await api.call('GET', `/api/requests/${id}/search-sessions`, { token: t.aaw });
    expect((sessions.body as unknown as { endedAt: string | null }[]).map((s) => s.endedAt)).toEqual([null]);
  });

  test('evidence: only the access worker holding the request records it; drafts have none to read', async () => {
    const { id, subjectId } = searching;
    const upload = await uploadEvidence(api, t.sd, id, { subjectId }, PNG_BYTES, 'shot.png');
    expect(upload.status).toBe(403);
    expect((await refusalsOn(id)).at(-1)).toEqual({ action: 'refused:record-evidence', actorId: 'sarah.mitchell', reason: upload.body.error?.message });
    const list = await api.call('GET', `/api/requests/${id}/evidence`, { token: t.aaw });
    expect(list.body).toHaveLength(1);
    await refused(api.call('GET', `/api/requests/${draftId}/evidence/${searching.evidenceId}/content`, { token: t.osw }), 409, 'invalid_state', 'view-evidence', draftId, 'amelia.hart');
  });

  test('the log: the access worker while searching, the originating worker after; nobody else', async () => {
    const { id, subjectId } = searching;
    const findings = { findings: [{ subjectId, visibility: 'public', profileUrl: 'https://www.facebook.com/jane.doe', summary: 'Photos' }], furtherPersons: [] };
    await refused(api.call('PUT', `/api/requests/${id}/log`, { token: t.osw, body: findings }), 403, 'forbidden', 'write-log', id, 'amelia.hart');
    await refused(api.call('PUT', `/api/requests/${id}/log`, { token: t.sm, body: findings }), 403, 'forbidden', 'write-log', id, 'grace.lee');
  });

  test('feedback: only the originating worker, once the log is finalised', async () => {
    const feedback = { timesUsed: 1, searchMinutes: 25, usefulPieces: 3, uniquePieces: 2, contribution: 'considerable' };
    await refused(api.call('PUT', `/api/requests/${searching.id}/feedback`, { token: t.osw, body: feedback }), 409, 'invalid_state', 'give-feedback', searching.id, 'amelia.hart');
    await refused(api.call('PUT', `/api/requests/${searching.id}/feedback`, { token: t.tm, body: feedback }), 403, 'forbidden', 'give-feedback', searching.id, 'tom.reid');
  });

  test('raising a linked request: only the first request’s originator, only once it is submitted', async () => {
    await refused(api.call('POST', '/api/requests', { token: t.osw, body: requestBody({ linkedFromRequestId: draftId }) }), 409, 'invalid_state', 'raise-linked', draftId, 'amelia.hart');
  });

  test('abilities that concern no request: raising a request, the people register', async () => {
    const personRefusals = async (actorId: string) =>
      (await api.server.store.db.selectFrom('audit_entries').select(['action', 'reason']).where('actor_id', '=', actorId).where('request_id', 'is', null).orderBy('seq').execute()).map((e) => e.action);
    const raise = await api.call('POST', '/api/requests', { token: t.sd, body: requestBody() });
    expect(raise.status).toBe(403);
    expect(raise.body.error?.message).toBe('Only an originating social worker may raise an Investigation Request.');
    expect(await personRefusals('sarah.mitchell')).toEqual(['refused:raise-request']);
    const people = await api.call('GET', '/api/people?role=access_worker', { token: t.osw });
    expect(people.status).toBe(403);
    expect(await personRefusals('amelia.hart')).toEqual(['refused:view-people']);
  });
});
