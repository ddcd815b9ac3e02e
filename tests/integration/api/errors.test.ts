/**
 * Every error the API contract names, provoked over real HTTP; each failed call changes nothing.
 * Also: two conflicting decisions at once, and a lapsed authorisation.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES, requestBody, uploadEvidence } from './helpers';
import { withSupervisionNote } from '../../support/action-body';

const run = promisify(execFile);

describe.each(BACKENDS)('errors on %s', (backend) => {
  let api: ApiHarness;
  let now = new Date();
  beforeAll(async () => {
    api = await startApi(backend, { env: { MAX_EVIDENCE_MB: '1' }, clock: { now: () => now } });
  });
  afterAll(async () => api.close());

  async function requestAt(state: 'awaiting_service_director' | 'searching') {
    const t = await api.tokens('amelia.hart', 'tom.reid', 'sarah.mitchell', 'imran.malik');
    const [osw, tm, sd, aaw] = [t['amelia.hart'], t['tom.reid'], t['sarah.mitchell'], t['imran.malik']];
    const created = await api.call('POST', '/api/requests', { token: osw, body: requestBody() });
    const id = created.body.id as string;
    const steps: [string, string, Record<string, unknown>][] = [
      [osw, 'submit', {}],
      [tm, 'agree', {}],
    ];
    if (state === 'searching') steps.push([sd, 'authorise', {}], [aaw, 'claim', {}], [aaw, 'confirm-legitimacy', {}]);
    let version = 1;
    for (const [token, action, body] of steps) {
      const r = await api.call('POST', `/api/requests/${id}/actions/${action}`, { token, body: { version, ...withSupervisionNote(action, body) } });
      expect(r.status).toBe(200);
      version = r.body.version as number;
    }
    return { id, version, subjectId: created.body.subjects?.[0]?.id ?? '', tokens: { osw, tm, sd, aaw } };
  }

  async function unchanged(id: string, token: string, version: number) {
    const r = await api.call('GET', `/api/requests/${id}`, { token });
    expect(r.body.version).toBe(version);
  }

  test('400: bad input names each field and creates nothing', async () => {
    const osw = await api.token('ben.okafor');
    // A draft may leave answers out, but an answer given must be one the form accepts.
    const r = await api.call('POST', '/api/requests', {
      token: osw,
      body: requestBody({ caseReference: '', subjects: [{ kind: 'alien' }], concernCategories: ['nonsense'], neededBy: '31/02/2026' }),
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({
      code: 'validation',
      message: 'Some answers need attention.',
      fields: {
        'concernCategories.0': 'Choose a listed concern.',
        'subjects.0.kind': 'Choose what kind of person this is.',
        neededBy: 'Enter the date the information is needed by as a real date, day/month/year, for example 14/03/2017.',
      },
    });
    const malformed = await api.call('POST', '/api/requests', { token: osw, body: '{"caseReference":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.code).toBe('validation');
    const list = await api.call('GET', '/api/requests?mine=true', { token: osw });
    expect(list.body.items).toEqual([]);
  });

  test('the access worker register for the director’s choice; a bad role is a 400 naming it', async () => {
    const token = await api.token('sarah.mitchell');
    const register = await api.call('GET', '/api/people?role=access_worker', { token });
    expect((register.body as unknown as { displayName: string }[]).map((p) => p.displayName)).toEqual([
      'Hannah Cole', 'Imran Malik', 'Jack Turner', 'Kate Bishop', 'Liam Doyle', 'Maya Patel',
    ]);
    const bad = await api.call('GET', '/api/people?role=chief', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields).toEqual({ role: 'Use one of the role names.' });
    expect((await api.call('GET', '/api/people?role=access_worker')).status).toBe(401);
  });

  test('401: no token, a malformed token and a forged token', async () => {
    expect((await api.call('GET', '/api/me')).status).toBe(401);
    expect((await api.call('GET', '/api/me', { headers: { authorization: 'Bearer not-a-jwt' } })).body.error?.code).toBe('unauthenticated');
    const forged = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzYXJhaC5taXRjaGVsbCJ9.c2lnbmF0dXJl';
    expect((await api.call('GET', '/api/requests', { token: forged })).status).toBe(401);
  });

  test('403: the rule is named, and the refusal is audited', async () => {
    const { id, version, tokens } = await requestAt('awaiting_service_director');
    const r = await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: tokens.osw, body: { version } });
    expect(r.status).toBe(403);
    expect(r.body.error?.message).toBe('You are the originating social worker on this request: only a service director may authorise it.');
    await unchanged(id, tokens.osw, version);
    const timeline = await api.call('GET', `/api/requests/${id}/audit`, { token: tokens.osw });
    expect((timeline.body as unknown as { action: string; reason: string }[]).at(-1)).toMatchObject({ action: 'refused:authorise', reason: r.body.error?.message });
  });

  test('404: an unknown request, an unknown action, a request the caller may not see', async () => {
    const token = await api.token('sarah.mitchell');
    expect((await api.call('GET', '/api/requests/00000000-0000-4000-8000-000000000000', { token })).status).toBe(404);
    expect((await api.call('GET', '/api/requests/not-a-uuid', { token })).status).toBe(404);
    const { id, version, tokens } = await requestAt('awaiting_service_director');
    expect((await api.call('POST', `/api/requests/${id}/actions/approve`, { token, body: { version } })).status).toBe(404);
    const stranger = await api.token('ben.okafor');
    expect((await api.call('GET', `/api/requests/${id}`, { token: stranger })).status).toBe(404);
    await unchanged(id, tokens.osw, version);
  });

  test('409: a stale version and a wrong state', async () => {
    const { id, version, tokens } = await requestAt('awaiting_service_director');
    const stale = await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: tokens.sd, body: { version: version - 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('stale_version');
    const wrong = await api.call('POST', `/api/requests/${id}/actions/agree`, { token: tokens.tm, body: { version, note: 'Discussed in supervision.' } });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error?.code).toBe('invalid_state');
    await unchanged(id, tokens.osw, version);
  });

  test('413 and 415: evidence too large or not what it claims to be stores nothing', async () => {
    const { id, subjectId, tokens } = await requestAt('searching');
    const session = await api.call('POST', `/api/requests/${id}/search-sessions`, { token: tokens.aaw, body: { corporateAccount: true } });
    expect(session.status).toBe(201);
    const big = Buffer.concat([PNG_BYTES, Buffer.alloc(1024 * 1024 + 10)]);
    const tooLarge = await uploadEvidence(api, tokens.aaw, id, { subjectId }, big, 'big.png');
    expect(tooLarge.status).toBe(413);
    const executable = Buffer.concat([Buffer.from('7f454c46020101', 'hex'), Buffer.alloc(600)]);
    const wrongType = await uploadEvidence(api, tokens.aaw, id, { subjectId }, executable, 'photo.png');
    expect(wrongType.status).toBe(415);
    const notPublic = await uploadEvidence(api, tokens.aaw, id, { subjectId, publiclyVisible: false }, PNG_BYTES, 'photo.png');
    expect(notPublic.status).toBe(400);
    expect(Object.keys(notPublic.body.error?.fields ?? {})).toEqual(['metadata.publiclyVisible']);
    const outOfScope = await uploadEvidence(api, tokens.aaw, id, { subjectId: '00000000-0000-4000-8000-00000000abcd' }, PNG_BYTES, '../../etc/passwd');
    expect(outOfScope.status).toBe(403);
    const items = await api.call('GET', `/api/requests/${id}/evidence`, { token: tokens.aaw });
    expect(items.body).toEqual([]);
  });

  test('two conflicting decisions at once: exactly one wins, the other is told', async () => {
    const { id, version, tokens } = await requestAt('awaiting_service_director');
    const robert = await api.token('robert.hale');
    const [a, b] = await Promise.all([
      api.call('POST', `/api/requests/${id}/actions/authorise`, { token: tokens.sd, body: { version } }),
      api.call('POST', `/api/requests/${id}/actions/refuse`, { token: robert, body: { version, reason: 'Not proportionate' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error?.code).toBe('stale_version');
    const final = await api.call('GET', `/api/requests/${id}`, { token: tokens.osw });
    expect(final.body.version).toBe(version + 1);
    expect(final.body.state).toBe(a.status === 200 ? 'authorised' : 'refused');
  });

  test('two access workers claim at once: one takes it, the other is told it was taken (not that it does not exist)', async () => {
    const { id, version, tokens } = await requestAt('awaiting_service_director');
    expect((await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: tokens.sd, body: { version } })).status).toBe(200);
    const other = await api.token('jack.turner');
    const claims = await Promise.all([tokens.aaw, other].map((token) => api.call('POST', `/api/requests/${id}/actions/claim`, { token, body: { version: version + 1 } })));
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    const lost = claims.find((c) => c.status === 409);
    expect(lost?.body.error).toMatchObject({ code: 'invalid_state', message: 'Another access worker has already taken this request.' });
    // Sent again with the version it now has, the same answer.
    const again = await api.call('POST', `/api/requests/${id}/actions/claim`, { token: claims[0]?.status === 409 ? tokens.aaw : other, body: { version: version + 2 } });
    expect(again.body.error).toMatchObject({ code: 'invalid_state', message: 'Another access worker has already taken this request.' });
  });

  test('an authorisation unused for 28 days expires and can no longer be claimed', async () => {
    const { id, version, tokens } = await requestAt('awaiting_service_director');
    const authorised = await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: tokens.sd, body: { version } });
    expect(authorised.status).toBe(200);
    const real = now;
    now = new Date(real.getTime() + 29 * 86_400_000);
    try {
      const claim = await api.call('POST', `/api/requests/${id}/actions/claim`, { token: tokens.aaw, body: { version: version + 1 } });
      expect(claim.status).toBe(409);
      expect(claim.body.error?.message).toBe(`This request has expired: The authorisation was not used by ${new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London' }).format(new Date(real.getTime() + 28 * 86_400_000))}.`);
      const again = await api.call('POST', `/api/requests/${id}/actions/claim`, { token: tokens.aaw, body: { version: version + 2 } });
      // Once expired it is no longer open to the register, so the access worker cannot even see it.
      expect(again.status).toBe(404);
      const cancel = await api.call('POST', `/api/requests/${id}/actions/cancel`, { token: tokens.sd, body: { version: version + 2, reason: 'Too late' } });
      expect(cancel.status).toBe(409);
      expect(cancel.body.error?.code).toBe('invalid_state');
      const view = await api.call('GET', `/api/requests/${id}`, { token: tokens.osw });
      expect(view.body).toMatchObject({ state: 'expired', lastReason: { by: 'system' } });
    } finally {
      now = real;
    }
  });

  test('a tampered audit row is reported by npm run audit:verify', async () => {
    await requestAt('awaiting_service_director');
    // Entry 3 must be in the chain before it is tampered with.
    await api.server.sequencer.runOnce();
    if (backend === 'PGlite') await api.server.store.close();
    // Checkpoints of its own: on PostgreSQL the command would otherwise read ./data/checkpoints,
    // where a local `npm start` publishes its own database's, which this chain does not match.
    const checkpointDir = mkdtempSync(join(tmpdir(), 'smc-errors-checkpoints-'));
    const env = { ...process.env, ...api.database.env, AUDIT_CHECKPOINT_DIR: checkpointDir };
    const good = await run('npx', ['tsx', 'scripts/audit-verify.ts'], { env, cwd: process.cwd() });
    expect(good.stdout).toMatch(/Audit chain intact: \d+ entries/);
    const store = backend === 'PGlite' ? await api.database.open() : api.server.store;
    const { sql } = await import('kysely');
    await sql`ALTER TABLE audit_entries DISABLE TRIGGER USER`.execute(store.db);
    await sql`UPDATE audit_entries SET reason = 'edited afterwards' WHERE seq = 3`.execute(store.db);
    await sql`ALTER TABLE audit_entries ENABLE TRIGGER USER`.execute(store.db);
    if (backend === 'PGlite') await store.close();
    const bad = await run('npx', ['tsx', 'scripts/audit-verify.ts'], { env, cwd: process.cwd() }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/seq 3/);
    if (backend === 'PGlite') {
      // Reopen so afterAll can close the server cleanly.
      api.server.store.close = async () => undefined;
    }
  });
});
