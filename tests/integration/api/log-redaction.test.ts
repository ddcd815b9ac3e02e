/**
 * Issue 13, item 1: no log line carries personal data. The database's errors were kept out of the
 * log before (hardening.test.ts); these are the lines the server writes for every request and for
 * a notification nobody can receive, which carried a searched name, a one-time link's token, the
 * client's address and a person's name.
 */
import { PassThrough } from 'node:stream';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from './helpers';

describe.each(BACKENDS)('what the log holds, on %s', (backend) => {
  let api: ApiHarness;
  let log = '';
  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
    });
    api = await startApi(backend, { env: { LOG_LEVEL: 'info' }, logStream: stream });
  });
  afterAll(async () => api.close());

  const lines = () => log.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; req?: Record<string, unknown>; outboxId?: string; reqId?: string; requestId?: string });

  test('every line a request writes carries that request’s id, also the first line of the next request on the same connection', async () => {
    const token = await api.token('amelia.hart');
    log = '';
    // fetch keeps the connection open: the three calls go one after another over one socket.
    const answered: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${api.url}/api/requests?mine=true`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      answered.push(response.headers.get('x-request-id') ?? '');
    }
    const requestLines = lines().filter((line) => line.reqId !== undefined);
    expect(requestLines.map((line) => [line.msg, line.requestId])).toEqual(
      answered.flatMap((id) => [
        ['incoming request', id],
        ['request completed', id],
      ]),
    );
  });

  test('a request is logged with its path and the names of its query parameters, not their values or the client’s address', async () => {
    const token = await api.token('amelia.hart');
    log = '';
    expect((await api.call('GET', '/api/requests?mine=true&q=Janet%20Example', { token })).status).toBe(200);
    const ticket = 'tkt-0123456789abcdefghijklmnopqrstuvwxyz';
    await api.call('GET', `/api/requests/00000000-0000-4000-8000-000000000000/evidence/00000000-0000-4000-8000-000000000001/content?ticket=${ticket}`);
    const incoming = lines().filter((line) => line.msg === 'incoming request').map((line) => line.req);
    expect(incoming).toEqual([
      { method: 'GET', url: '/api/requests?mine=[redacted]&q=[redacted]' },
      { method: 'GET', url: '/api/requests/00000000-0000-4000-8000-000000000000/evidence/00000000-0000-4000-8000-000000000001/content?ticket=[redacted]' },
    ]);
    for (const personal of ['Janet', 'Example', ticket, '127.0.0.1', token]) expect(log).not.toContain(personal);
  });

  test('a notification nobody can receive is logged by its id, without the name of the person it was for', async () => {
    const token = await api.token('amelia.hart');
    const id = (await api.call('POST', '/api/requests', { token, body: requestBody() })).body.id as string;
    expect((await api.call('POST', `/api/requests/${id}/actions/submit`, { token, body: { version: 1 } })).status).toBe(200);
    log = '';
    await api.server.dispatcher.drainOnce();
    const undeliverable = lines().filter((line) => line.msg === 'notification not deliverable');
    expect(undeliverable.length).toBeGreaterThan(0);
    for (const line of undeliverable) expect(Object.keys(line).sort()).toEqual(['hostname', 'level', 'msg', 'outboxId', 'pid', 'time']);
    for (const personal of ['Tom Reid', 'Amelia Hart']) expect(log).not.toContain(personal);
  });
});
