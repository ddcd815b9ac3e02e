/**
 * Issue 13, item 1, at the edge: the character rule holds for every input a route is given, not
 * only for the fields of its forms. A NUL in a disclosure's name, in the evaluation's team (a query
 * parameter) or in a person's id in the address reached PostgreSQL, which refused it: a 500.
 */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';

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
});
