/**
 * Issue 13 over real HTTP: text no field may hold is a 400 naming the field and changes nothing,
 * and no log line carries SQL parameters or personal data, whatever the database reports.
 */
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
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
    expect((await api.call('POST', `/api/requests/${id}/actions/agree`, { token: tm, body: { version: 2 } })).status).toBe(200);
    const refusals = async () =>
      ((await api.call('GET', `/api/requests/${id}/audit`, { token: osw })).body as unknown as { action: string; detail: Record<string, unknown> }[]).filter((e) => e.action === 'refused:authorise');
    for (let i = 0; i < 10; i += 1) expect((await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: osw, body: { version: 3 } })).status).toBe(403);
    expect(await refusals()).toHaveLength(1);
    now = new Date(now.getTime() + 61_000);
    expect((await api.call('POST', `/api/requests/${id}/actions/authorise`, { token: osw, body: { version: 3 } })).status).toBe(403);
    const entries = await refusals();
    expect(entries.map((e) => e.detail)).toEqual([{ code: 'forbidden' }, { code: 'forbidden', repeatedInLastMinute: 9 }]);
  });
});
