/**
 * Issue 13, item 1, at the edge: the character rule holds for every input a route is given, not
 * only for the fields of its forms. A NUL in a disclosure's name, in the evaluation's team (a query
 * parameter) or in a person's id in the address reached PostgreSQL, which refused it: a 500. Found
 * from outside later: a body nested deeper than the walk went, keys an upload's metadata part
 * carried beside its fields, and bad percent-encoding or invalid UTF-8 in a query or a JSON body
 * (decoded to replacement characters and stored) all got through.
 */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { EVIDENCE_METADATA, PNG_BYTES, requestBody, searchingRequest, uploadEvidence } from './helpers';

const MESSAGE = 'Remove control characters and text-direction overrides: they cannot be recorded.';

describe.each(BACKENDS)('the character rule at the edge, on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(backend);
  });
  afterAll(async () => api.close());

  test('a disclosure search for a name holding NUL, a lone surrogate or an override is a 400 naming the name, and records nothing', async () => {
    const token = await api.token('nina.shaw');
    for (const name of ['Jane\u0000Doe', 'Jane \u202eeoD']) {
      const answer = await api.call('POST', '/api/disclosures', { token, body: { name } });
      expect(answer.status).toBe(400);
      expect(answer.body.error?.fields).toEqual({ name: MESSAGE });
    }
    // JSON.stringify would escape a lone surrogate; the JSON text as an attacker sends it.
    const surrogate = await api.call('POST', '/api/disclosures', { token, body: '{"name":"Jane \\ud800Doe"}' });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.error?.fields).toEqual({ name: MESSAGE });
    const recorded = await api.server.store.db.selectFrom('disclosures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(recorded.n)).toBe(0);
  });

  test.each(['/api/evaluation', '/api/evaluation/export', '/api/evaluation/summary.docx'])('%s with a NUL or an override in the team is a 400 naming the team', async (path) => {
    const token = await api.token('grace.lee');
    const format = path.endsWith('/export') ? '&format=csv' : '';
    for (const team of ['a%00b', 'a%E2%80%AEb']) {
      const answer = await api.call('GET', `${path}?from=2026-01-01&to=2026-12-31&team=${team}${format}`, { token });
      expect(answer.status).toBe(400);
      expect(answer.body.error?.fields).toEqual({ team: MESSAGE });
    }
  });

  test('a person id holding NUL in the address is a 400 naming it, and the register is unchanged', async () => {
    const token = await api.token('nina.shaw');
    const before = (await api.call('GET', '/api/admin/register', { token })).body;
    const answer = await api.call('PUT', '/api/admin/register/people/a%00b', { token, body: { trainedOn: '2026-01-01', authorisedUntil: '2026-12-31' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.fields).toEqual({ personId: MESSAGE });
    expect((await api.call('GET', '/api/admin/register', { token })).body).toEqual(before);
  });

  test('a NUL in the name of a body field, not only in its value, is refused', async () => {
    const token = await api.token('amelia.hart');
    const answer = await api.call('POST', '/api/surveys', { token, body: '{"easeOfAuthorisation":3,"effectiveness":3,"x\\u0000":1}' });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.fields).toEqual({ 'x\u0000': MESSAGE });
  });

  const requestCount = async () => Number((await api.server.store.db.selectFrom('investigation_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  test('a body nested deeper than any form is refused, naming where, and creates nothing', async () => {
    const token = await api.token('amelia.hart');
    const before = await requestCount();
    for (const deep of ['['.repeat(70) + '"a\\u0000b"' + ']'.repeat(70), '{"x":'.repeat(70) + '1' + '}'.repeat(70)]) {
      const answer = await api.call('POST', '/api/requests', { token, body: `{"caseReference":"deep","extra":${deep}}` });
      expect(answer.status).toBe(400);
      const fields = Object.entries(answer.body.error?.fields ?? {}) as [string, string][];
      expect(fields).toEqual([[expect.stringMatching(/^extra(\.(0|x))+$/), expect.stringMatching(/^Nested more than 16 levels deep/)]]);
    }
    // As deep as a form goes is fine.
    expect((await api.call('POST', '/api/requests', { token, body: requestBody() })).status).toBe(201);
    expect(await requestCount()).toBe(before + 1);
  });

  test('keys an upload’s metadata carries beside its fields are held to the rule too, and nothing is stored', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    for (const [extra, field] of [
      [{ 'note\u202e': 'x' }, 'metadata.note\u202e'],
      [{ extra: { 'a\u0000': 1 } }, 'metadata.extra.a\u0000'],
      [{ extra: 'a\u0000b' }, 'metadata.extra'],
    ] as const) {
      const answer = await uploadEvidence(api, tokens.aaw, id, { ...EVIDENCE_METADATA, subjectId, ...extra }, PNG_BYTES, 'a.png');
      expect([answer.status, answer.body.error?.fields]).toEqual([400, { [field]: MESSAGE }]);
    }
    expect((await api.call('GET', `/api/requests/${id}/evidence`, { token: tokens.aaw })).body).toEqual([]);
  });

  test.each(['q=%ED%A0%80', 'q=%FF', 'q=%C0%80', 'q=%E0%A4%A', '%zz=1', '%FF=1'])('a query holding %s (not UTF-8, or bad percent-encoding) is a 400, not searched for', async (query) => {
    const token = await api.token('amelia.hart');
    const answer = await api.call('GET', `/api/requests?${query}`, { token });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error?.fields ?? {})).toEqual(['(query)']);
  });

  test('a JSON body that is not valid UTF-8 is a 400, not stored with replacement characters', async () => {
    const token = await api.token('amelia.hart');
    const before = await requestCount();
    const body = Buffer.concat([Buffer.from(JSON.stringify(requestBody()).slice(0, -1) + ',"caseReference":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    const response = await fetch(`${api.url}/api/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: new Uint8Array(body) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({ '(body)': 'Send the body as UTF-8.' });
    expect(await requestCount()).toBe(before);
  });
});
