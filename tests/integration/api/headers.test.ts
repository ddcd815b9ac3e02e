/**
 * Issue 13, items 2, 4 and 5: the headers on each kind of response, every error the server or the
 * framework can produce in the documented shape, rate limits, and evidence that never runs in our
 * origin.
 */
import { request as httpRequest } from 'node:http';
import { startApi, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES, searchingRequest, uploadEvidence } from './helpers';
import { auditSigningKey } from '../../support/audit-key';

const ERROR_SHAPE = { error: { code: expect.any(String), message: expect.any(String) } };

/** A raw request, for what fetch will not send (oversized headers). */
function raw(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('headers and errors in local mode', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('PGlite', { env: { MAX_EVIDENCE_MB: '1' } });
  });
  afterAll(async () => api.close());

  test('JSON carrying personal data is never stored; security headers are on every answer; no HSTS over local HTTP', async () => {
    const token = await api.token('amelia.hart');
    const me = await api.call('GET', '/api/me', { token });
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.headers.get('x-content-type-options')).toBe('nosniff');
    expect(me.headers.get('strict-transport-security')).toBeNull();
    // The chat preview's feed holds the cards' text (names, concerns): not kept either.
    const feed = await fetch(`${api.url}/preview/connector/v3/conversations/a%3Apreview-x/activities?after=0`);
    expect([feed.status, feed.headers.get('content-type'), feed.headers.get('cache-control')]).toEqual([200, expect.stringContaining('application/json'), 'no-store']);
    const csp = me.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('connect-src \'self\' https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json');
    for (const host of ['https://*.cloud.microsoft', 'https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://microsoft365.com', 'https://*.microsoft365.com', 'https://*.office.com', 'https://outlook.office.com', 'https://outlook.office365.com']) {
      expect(csp).toMatch(new RegExp(`frame-ancestors [^;]*${host.replace(/[.*]/g, '\\$&')}( |$|;)`));
    }
  });

  test('every error the framework produces is in the documented shape', async () => {
    const token = await api.token('amelia.hart');
    const notFound = await api.call('GET', '/api/no-such-thing', { token });
    expect([notFound.status, notFound.body]).toEqual([404, ERROR_SHAPE]);
    // An address that is there, called with a method it does not take: 405 saying which it takes.
    const wrongMethod = await api.call('DELETE', '/api/requests/00000000-0000-4000-8000-000000000000/actions/submit', { token });
    expect([wrongMethod.status, wrongMethod.body, wrongMethod.headers.get('allow')]).toEqual([405, ERROR_SHAPE, 'POST']);
    const dotted = await api.call('POST', '/api/openapi.json');
    expect([dotted.status, dotted.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await api.call('POST', '/api/openapiXjson', { token })).status).toBe(404);
    const badJson = await api.call('POST', '/api/requests', { token, body: '{"caseReference":' });
    expect([badJson.status, badJson.body]).toEqual([400, { error: expect.objectContaining({ code: 'validation' }) }]);
    const wrongType = await fetch(`${api.url}/api/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body: '<request/>' });
    expect([wrongType.status, await wrongType.json()]).toEqual([415, ERROR_SHAPE]);
    const tooLarge = await api.call('POST', '/api/requests', { token, body: JSON.stringify({ concernDetails: 'x'.repeat(2 * 1024 * 1024) }) });
    expect([tooLarge.status, tooLarge.body]).toEqual([413, ERROR_SHAPE]);
    const hugeHeaders = await raw(api.url, '/api/health', { 'x-padding': 'x'.repeat(64 * 1024) });
    expect(hugeHeaders.status).toBe(431);
    expect(JSON.parse(hugeHeaders.body)).toEqual(ERROR_SHAPE);
    const unauthenticated = await api.call('GET', '/api/me');
    expect([unauthenticated.status, unauthenticated.body]).toEqual([401, ERROR_SHAPE]);
  });

  test('every kind of answer carries the security headers and a request id, errors the framework or Node answers included', async () => {
    const token = await api.token('amelia.hart');
    const csp = (await api.call('GET', '/api/me', { token })).headers.get('content-security-policy');
    expect(csp).toContain('frame-ancestors');
    const answers: [string, Record<string, string | string[] | undefined>][] = [];
    const add = async (what: string, response: Promise<Response>) => {
      const r = await response;
      answers.push([`${what} ${r.status}`, Object.fromEntries(r.headers.entries())]);
    };
    await add('JSON', fetch(`${api.url}/api/me`, { headers: { authorization: `Bearer ${token}` } }));
    await add('not found', fetch(`${api.url}/api/no-such-thing`, { headers: { authorization: `Bearer ${token}` } }));
    await add('unauthenticated', fetch(`${api.url}/api/me`));
    await add('wrong media type', fetch(`${api.url}/api/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body: '<request/>' }));
    await add('too large', fetch(`${api.url}/api/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ concernDetails: 'x'.repeat(2 * 1024 * 1024) }) }));
    await add('privacy page', fetch(`${api.url}/privacy`));
    // Answered by Fastify before any hook: a path it cannot decode, and a path parameter over its length.
    await add('bad percent-encoding', fetch(`${api.url}/api/requests/%zz`, { headers: { authorization: `Bearer ${token}` } }));
    await add('over-long id', fetch(`${api.url}/api/requests/${'a'.repeat(150)}/audit`, { headers: { authorization: `Bearer ${token}` } }));
    const hugeHeaders = await raw(api.url, '/api/health', { 'x-padding': 'x'.repeat(64 * 1024) });
    answers.push([`headers too large ${hugeHeaders.status}`, hugeHeaders.headers]);
    for (const [what, headers] of answers) {
      expect([what, headers['content-security-policy'], headers['x-content-type-options'], typeof headers['x-request-id']]).toEqual([what, csp, 'nosniff', 'string']);
    }
    expect(answers.map(([what]) => what)).toEqual(['JSON 200', 'not found 404', 'unauthenticated 401', 'wrong media type 415', 'too large 413', 'privacy page 200', 'bad percent-encoding 400', 'over-long id 400', 'headers too large 431']);
    expect(answers.filter(([what]) => what.endsWith(' 400')).map(([, headers]) => headers['cache-control'])).toEqual(['no-store', 'no-store']);
  });

  test('the manifest’s privacy and terms links are real pages, not the tab', async () => {
    for (const [path, title] of [['/privacy', 'Privacy notice'], ['/terms', 'Terms of use']]) {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain(`<h1>${title}</h1>`);
    }
  });

  test('evidence is served sandboxed: images previewed inline, saved pages only downloaded', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const png = await uploadEvidence(api, tokens.aaw, id, { subjectId }, PNG_BYTES, 'photo.png');
    expect(png.status).toBe(201);
    const page = await uploadEvidence(api, tokens.aaw, id, { subjectId }, Buffer.from('<!doctype html><meta http-equiv="refresh" content="0;url=https://evil.example">'), 'saved.html');
    expect(page.status).toBe(201);
    const get = (eid: string, query = '') => fetch(`${api.url}/api/requests/${id}/evidence/${eid}/content${query}`, { headers: { authorization: `Bearer ${tokens.aaw}` } });
    const image = await get(png.body.id as string);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; filename="/);
    expect(image.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('cache-control')).toBe('no-store');
    const download = await get(png.body.id as string, '?download=1');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
    const html = await get(page.body.id as string);
    expect(html.headers.get('content-type')).toBe('application/octet-stream');
    expect(html.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.html"$/);
    expect(html.headers.get('content-security-policy')).toMatch(/^sandbox;/);
  });
});

describe('rate limits', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('PGlite', { env: { RATE_LIMIT_PERSON_PER_MINUTE: '5', RATE_LIMIT_ADDRESS_PER_MINUTE: '40' } });
  });
  afterAll(async () => api.close());

  test('per person, then per address: 429 with Retry-After in the documented shape', async () => {
    const [amelia, ben] = await Promise.all([api.token('amelia.hart'), api.token('ben.okafor')]);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await api.call('GET', '/api/me', { token: amelia })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await api.call('GET', '/api/me', { token: amelia });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/^Too many requests: try again in \d+ seconds?\.$/) } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.call('GET', '/api/me', { token: ben })).status).toBe(200);
    let last = 200;
    for (let i = 0; i < 40 && last !== 429; i += 1) last = (await api.call('GET', '/api/health')).status;
    expect(last).toBe(429);
  });
});

/** Teams mode with made-up ids: what a server outside local mode needs to start. */
const TEAMS_SETTINGS = {
  AUTH_MODE: 'teams',
  TEAMS_APP_ID: '00000000-0000-0000-0000-000000000003',
  TEAMS_APP_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
  TEAMS_ALLOWED_TENANT_IDS: '00000000-0000-0000-0000-000000000002',
  BOT_APP_ID: '00000000-0000-0000-0000-000000000004',
  BOT_APP_PASSWORD: 'not-a-real-secret',
  BOT_TENANT_ID: '00000000-0000-0000-0000-000000000002',
};

describe('in production, behind App Service’s front end', () => {
  test('a client cannot reset the per-address limit by naming its own address in X-Forwarded-For', async () => {
    const api = await startApi('PGlite', {
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://unused.invalid/smc',
        EVIDENCE_STORE: 'local',
        AUDIT_SIGNING_KEY: auditSigningKey(),
        RATE_LIMIT_ADDRESS_PER_MINUTE: '5',
        ...TEAMS_SETTINGS,
      },
    });
    try {
      const statuses: number[] = [];
      // The front end appends the address it saw (here always the same) after whatever the client sent.
      for (let i = 0; i < 8; i += 1) statuses.push((await fetch(`${api.url}/api/health`, { headers: { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.7` } })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    } finally {
      await api.close();
    }
  });
});

describe('outside local mode', () => {
  test('HSTS is sent', async () => {
    const api = await startApi('PGlite', { env: TEAMS_SETTINGS });
    try {
      const health = await fetch(`${api.url}/api/health`);
      expect(health.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await api.close();
    }
  });
});
