/**
 * Stopping the server (a deployment, a scale-in, the end of a test) must finish even when a client
 * holds a connection open: one that never finishes its request, or one whose oversized headers the
 * server refused while the client was still sending and not reading.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { sql } from 'kysely';
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import { createConversationStore } from '../../../src/store';
import { startApi } from '../../support/api-server';
import { within } from '../../support/within';
import { requestBody } from './helpers';

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}

test('close() drops a request that never finishes and a refused client that never reads, after the grace period', async () => {
  const api = await startApi('PGlite', { shutdownGraceMs: 200 });
  const unfinished = await openSocket(api.url);
  unfinished.on('error', () => undefined);
  unfinished.write('POST /api/requests HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"caseReference":');
  const oversized = await openSocket(api.url);
  oversized.on('error', () => undefined);
  oversized.pause();
  oversized.write(`GET /api/health HTTP/1.1\r\nhost: localhost\r\nx-padding: ${'x'.repeat(64 * 1024)}\r\n`);
  // Both connections reach the server before it is told to stop.
  const health = await fetch(`${api.url}/api/health`);
  expect(health.status).toBe(200);

  await within(30_000, 'close()', api.close());
  // A paused socket cannot see the server's end until it reads again.
  oversized.resume();
  await within(5_000, 'the connections closing', Promise.all([closed(unfinished), closed(oversized)]));
  expect([unfinished.destroyed, oversized.destroyed]).toEqual([true, true]);
});

test('close() lets a request already under way finish, answers it, then closes its connection', async () => {
  const api = await startApi('PGlite', { shutdownGraceMs: 30_000 });
  const socket = await openSocket(api.url);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const body = JSON.stringify({ userId: 'amelia.hart' });
  socket.write(`POST /api/dev/token HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
  // Time for the server to read the headers; only then does shutdown begin, and only then does
  // the client finish its body.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const closing = api.close();
  socket.write(body.slice(5));
  await within(20_000, 'close() and the connection closing', Promise.all([closing, closed(socket)]));
  expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ token: expect.any(String) });
});

test('close() ends within the platform’s 10 s when the Bot Connector never answers and a client never finishes its request, leaving the notification for the next start', async () => {
  // A Bot Connector that takes each "Send to conversation" call (POST
  // /v3/conversations/{conversationId}/activities) and never answers it.
  const held: IncomingMessage[] = [];
  let firstCall: () => void = () => undefined;
  const called = new Promise<void>((resolve) => (firstCall = resolve));
  const connector = createServer((req) => {
    held.push(req);
    req.resume();
    firstCall();
  });
  await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;

  // The default bounds, as in production.
  const api = await startApi('PGlite', { dispatch: true });
  const conversations = createConversationStore(api.server.store.db);
  for (const person of DEMO_PEOPLE) {
    await conversations.save({ aadObjectId: person.aadObjectId, teamsUserId: `29:${person.id}`, conversationId: `a:${person.id}`, serviceUrl, channelId: 'msteams', tenantId: 'tenant', botId: '28:bot', botName: 'Social Media Checks' }, new Date());
  }
  const osw = await api.token('amelia.hart');
  const created = await api.call('POST', '/api/requests', { token: osw, body: requestBody() });
  const submitted = await api.call('POST', `/api/requests/${created.body.id as string}/actions/submit`, { token: osw, body: { version: 1 } });
  expect(submitted.status).toBe(200);
  await within(10_000, 'the first delivery reaching the connector', called);

  const unfinished = await openSocket(api.url);
  unfinished.on('error', () => undefined);
  unfinished.write('POST /api/requests HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"caseReference":');
  // The connection has reached the server before it is told to stop.
  expect((await fetch(`${api.url}/api/health`)).status).toBe(200);

  const started = Date.now();
  await within(30_000, 'close()', api.server.close());
  expect(Date.now() - started).toBeLessThan(10_000);
  await within(5_000, 'the unfinished request’s connection closing', closed(unfinished));

  // Nothing was lost: the team manager's card, which the connector never answered, waits for the next start.
  const store = await api.database.open();
  try {
    const { rows } = await sql<{ kind: string; status: string }>`SELECT kind, status FROM outbox WHERE kind = 'agree_request'`.execute(store.db);
    expect(rows).toEqual([{ kind: 'agree_request', status: 'pending' }]);
  } finally {
    await store.close();
    await api.database.drop();
    for (const req of held) req.socket.destroy();
    connector.close();
  }
}, 60_000);
