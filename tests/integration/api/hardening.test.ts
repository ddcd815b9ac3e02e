/**
 * Issue 13 over real HTTP: text no field may hold is a 400 naming the field and changes nothing,
 * and no log line carries SQL parameters or personal data, whatever the database reports.
 */
import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { flushRefusalCounts } from '../../../src/app/refusal-window';
import type { SqlStore } from '../../../src/store';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';

describe.each(BACKENDS)('hardening on %s', (backend) => {
  let api: ApiHarness;
  let log = '';
  let now = new Date();
  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
    });
    api = await startApi(backend, { env: { LOG_LEVEL: 'info' }, logStream: stream, clock: { now: () => now } });
  });
  afterAll(async () => api.close());

  test('a NUL or an unpaired surrogate in a text field is a 400 naming it, and nothing is created', async () => {
    const token = await api.token('amelia.hart');
    const nul = await api.call('POST', '/api/requests', { token, body: requestBody({ concernDetails: 'abc\u0000' }) });
    expect(nul.status).toBe(400);
    expect(Object.keys(nul.body.error?.fields ?? {})).toEqual(['concernDetails']);
    // JSON.stringify would escape a lone surrogate; send the JSON text exactly as an attacker would.
    const raw = JSON.stringify(requestBody()).replace('"Child A"', '"Child \\ud800"');
    const surrogate = await api.call('POST', '/api/requests', { token, body: raw });
    expect(surrogate.status).toBe(400);
    expect(Object.keys(surrogate.body.error?.fields ?? {})).toEqual(['children.0.name']);
    const override = await api.call('POST', '/api/requests', { token, body: requestBody({ justification: 'safe \u202egnp.exe' }) });
    expect(override.status).toBe(400);
    expect(Object.keys(override.body.error?.fields ?? {})).toEqual(['justification']);
    expect((await api.call('GET', '/api/requests?mine=true', { token })).body).toMatchObject({ items: [], counts: { waitingForMe: 0 } });
  });

  test('a database failure is logged without its parameters or the failing row', async () => {
    const token = await api.token('amelia.hart');
    await sql`ALTER TABLE investigation_requests ADD CONSTRAINT refuse_marked_case CHECK (case_reference <> 'CM-FAIL-7')`.execute(api.server.store.db);
    try {
      log = '';
      const body = requestBody({
        caseReference: 'CM-FAIL-7',
        children: [{ name: 'Poppy Example', dateOfBirth: '2014-02-03' }],
        subjects: [{ kind: 'service_user', name: 'Janet Example', area: '12 Acacia Avenue, Wakefield' }],
      });
      const failed = await api.call('POST', '/api/requests', { token, body });
      expect(failed.status).toBe(500);
      expect(failed.body.error?.code).toBe('internal');
      const lines = log.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; err?: { code?: string } });
      expect(lines.find((line) => line.msg === 'unexpected error')?.err?.code).toBe('23514');
      for (const personal of ['Poppy', '2014-02-03', 'Janet', 'Acacia', 'CM-FAIL-7', token]) expect(log).not.toContain(personal);
    } finally {
      await sql`ALTER TABLE investigation_requests DROP CONSTRAINT refuse_marked_case`.execute(api.server.store.db);
    }
  });

  test('repeated identical refusals are audited once a minute, with a count', async () => {
    const [osw, tm] = await Promise.all([api.token('amelia.hart'), api.token('tom.reid')]);
    const id = (await api.call('POST', '/api/requests', { token: osw, body: requestBody() })).body.id as string;
    expect((await api.call('POST', `/api/requests/${id}/actions/submit`, { token: osw, body: { version: 1 } })).status).toBe(200);
    expect((await api.call('POST', `/api/requests/${id}/actions/agree`, { token: tm, body: { version: 2, note: 'Discussed in supervision.' } })).status).toBe(200);
    const refusals = async () =>
      ((await api.call('GET', `/api/requests/${id}/audit`, { token: osw })).body as unknown as { action: string; detail: Record<string, unknown> }[]).filter((e) => e.action === 'refused:authorise');
    for (let i = 0; i < 10; i += 1) expect((await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: osw, body: { version: 3 } })).status).toBe(403);
    expect(await refusals()).toHaveLength(1);
    now = new Date(now.getTime() + 61_000);
    expect((await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: osw, body: { version: 3 } })).status).toBe(403);
    const entries = await refusals();
    expect(entries.map((e) => e.detail)).toEqual([{ code: 'forbidden' }, { code: 'forbidden', repeatedInLastMinute: 9 }]);
  });

  /** A request the team manager has agreed, waiting for a service director: the worker may not authorise it. */
  const agreedRequest = async (harness: ApiHarness, osw: string, tm: string): Promise<string> => {
    const id = (await harness.call('POST', '/api/requests', { token: osw, body: requestBody() })).body.id as string;
    expect((await harness.call('POST', `/api/requests/${id}/actions/submit`, { token: osw, body: { version: 1 } })).status).toBe(200);
    expect((await harness.call('POST', `/api/requests/${id}/actions/agree`, { token: tm, body: { version: 2, note: 'Discussed in supervision.' } })).status).toBe(200);
    return id;
  };
  const refusalsIn = async (store: Pick<SqlStore, 'read'>, id: string, action: string) =>
    (await store.read.audit.listForRequest(id)).filter((e) => e.action === action).map((e) => ({ actorId: e.actorId, actorRole: e.actorRole, reason: e.reason, detail: e.detail }));

  test('the count of a window is written once its minute is over, though no identical refusal follows', async () => {
    const [osw, tm] = await Promise.all([api.token('amelia.hart'), api.token('tom.reid')]);
    const id = await agreedRequest(api, osw, tm);
    const reasons = new Set<string | undefined>();
    for (let i = 0; i < 5; i += 1) {
      const refused = await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: osw, body: { version: 3 } });
      expect(refused.status).toBe(403);
      reasons.add(refused.body.error?.message);
    }
    expect(reasons.size).toBe(1);
    // Within the minute the flush leaves the window open.
    expect(await flushRefusalCounts(api.server.deps)).toBe(0);
    expect(await refusalsIn(api.server.store, id, 'refused:authorise')).toHaveLength(1);
    now = new Date(now.getTime() + 61_000);
    expect(await flushRefusalCounts(api.server.deps)).toBe(1);
    expect(await flushRefusalCounts(api.server.deps)).toBe(0);
    const first = { actorId: 'amelia.hart', actorRole: 'refused', reason: [...reasons][0], detail: { code: 'forbidden' } };
    expect(await refusalsIn(api.server.store, id, 'refused:authorise')).toEqual([first, { ...first, detail: { code: 'forbidden', repeatedInLastMinute: 4 } }]);
  });

  test('three identical retention refusals within a minute write one entry, and the flush one more with the count', async () => {
    const [osw, director] = await Promise.all([api.token('amelia.hart'), api.token('sarah.mitchell')]);
    const id = (await api.call('POST', '/api/requests', { token: osw, body: requestBody() })).body.id as string;
    for (let i = 0; i < 3; i += 1) expect((await api.call('POST', `/api/retention/requests/${id}/disposal`, { token: director })).status).toBe(409);
    const first = { actorId: 'sarah.mitchell', actorRole: 'refused', reason: 'This request is still open: it is kept while open.', detail: { code: 'invalid_state', rule: 'retention' } };
    expect(await refusalsIn(api.server.store, id, 'refused:confirm-disposal')).toEqual([first]);
    now = new Date(now.getTime() + 61_000);
    expect(await flushRefusalCounts(api.server.deps)).toBe(1);
    expect(await refusalsIn(api.server.store, id, 'refused:confirm-disposal')).toEqual([first, { ...first, detail: { code: 'invalid_state', rule: 'retention', repeatedInLastMinute: 2 } }]);
  });

  test('at shutdown the count of a window still open is written', async () => {
    const other = await startApi(backend, { clock: { now: () => now } });
    let closed = false;
    try {
      const [osw, tm] = await Promise.all([other.token('amelia.hart'), other.token('tom.reid')]);
      const id = await agreedRequest(other, osw, tm);
      for (let i = 0; i < 4; i += 1) expect((await other.call('POST', `/api/requests/${id}/actions/authorise`, { token: osw, body: { version: 3 } })).status).toBe(403);
      await other.server.close();
      closed = true;
      const store = await other.database.open();
      try {
        expect((await refusalsIn(store, id, 'refused:authorise')).map((e) => e.detail)).toEqual([{ code: 'forbidden' }, { code: 'forbidden', repeatedInLastMinute: 3 }]);
      } finally {
        await store.close();
      }
    } finally {
      if (closed) {
        await other.database.drop();
        rmSync(other.dataDir, { recursive: true, force: true });
      } else await other.close();
    }
  });
});
