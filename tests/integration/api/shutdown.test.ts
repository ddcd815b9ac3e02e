/**
 * Stopping the server (a deployment, a scale-in, the end of a test) must finish even when a client
 * holds a connection open: one that never finishes its request, or one whose oversized headers the
 * server refused while the client was still sending and not reading.
 */
import { connect, type Socket } from 'node:net';
import { startApi } from '../../support/api-server';

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

/** Fails with a message instead of leaving the hook to time out. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
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

  await within(api.close(), 30_000, 'close()');
  // A paused socket cannot see the server's end until it reads again.
  oversized.resume();
  await within(Promise.all([closed(unfinished), closed(oversized)]), 5_000, 'the connections closing');
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
  await within(Promise.all([closing, closed(socket)]), 20_000, 'close() and the connection closing');
  expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ token: expect.any(String) });
});
