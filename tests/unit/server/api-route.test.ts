/**
 * A route answers only what its contract names (issue 11 item 4): with response checking on, an
 * answer carrying a field its schema does not name, or of the wrong shape, fails the call rather
 * than reaching the client.
 */
import Fastify from 'fastify';
import { z } from 'zod';
import { apiRoutes, type RouteContract } from '../../../src/server/api-route';

const contract = {
  method: 'GET',
  path: '/api/things/{id}',
  summary: 'A thing',
  params: z.object({ id: z.string() }),
  status: 200,
  response: z.object({ id: z.string(), size: z.number() }),
  errors: [404],
} as const satisfies RouteContract;

/** Answers one GET of the contract's route with `answer`, over HTTP. */
async function get(answer: unknown, checkResponses: boolean) {
  const app = Fastify();
  apiRoutes(app, { checkResponses }).add(contract, async () => answer as { id: string; size: number });
  try {
    const response = await fetch(`${await app.listen({ port: 0, host: '127.0.0.1' })}/api/things/a`);
    return { status: response.status, text: await response.text() };
  } finally {
    await app.close();
  }
}

test('an answer that matches its schema is sent as it is, on the path with its parameter', async () => {
  const response = await get({ id: 'a', size: 3 }, true);
  expect(response.status).toBe(200);
  expect(JSON.parse(response.text)).toEqual({ id: 'a', size: 3 });
});

test('with checking on, a field the schema does not name fails the call and is not sent', async () => {
  const response = await get({ id: 'a', size: 3, storageKey: 'disk/a' }, true);
  expect(response.status).toBe(500);
  expect(response.text).not.toContain('disk/a');
  expect(response.text).toContain('.storageKey');
});

test('with checking on, an answer of the wrong shape fails the call', async () => {
  expect((await get({ id: 'a', size: '3' }, true)).status).toBe(500);
});
