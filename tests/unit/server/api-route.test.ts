/**
 * A route answers only what its contract names (issue 11 item 4): with response checking on, an
 * answer carrying a field its schema does not name, or of the wrong shape, fails the call rather
 * than reaching the client.
 */
import Fastify from 'fastify';
import { z } from 'zod';
import { apiRoutes, jsonBytes, type RouteContract } from '../../../src/server/api-route';

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

describe('JSON answers as UTF-8', () => {
  const texts = {
    ascii: 'Waiting for the team manager',
    'beyond Latin-1': 'the public interest — the council’s duties',
    astral: 'a child’s drawing 😀 and 𝒜',
    long: '— Zoë’s case — '.repeat(30_000),
    'larger than the kept room': '’'.repeat(2_000_000),
  };

  it.each(Object.entries(texts))('writes %s text exactly as Buffer.from(JSON.stringify(…)) would', (_, text) => {
    const answer = { items: [{ nextStep: text, n: 1 }], nextCursor: null };
    expect(jsonBytes(answer).equals(Buffer.from(JSON.stringify(answer)))).toBe(true);
  });

  it('carries nothing of a longer earlier answer into a shorter later one', () => {
    jsonBytes({ text: '’'.repeat(100_000) });
    expect(jsonBytes({ text: 'short' }).toString('utf8')).toBe('{"text":"short"}');
  });

  it('answers over HTTP with the same text and its length', async () => {
    const app = Fastify();
    apiRoutes(app, { checkResponses: true }).add(contract, async () => ({ id: texts.astral, size: 2 }));
    try {
      const response = await fetch(`${await app.listen({ port: 0, host: '127.0.0.1' })}/api/things/a`);
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.headers.get('content-length')).toBe(String(body.length));
      expect(JSON.parse(body.toString('utf8'))).toEqual({ id: texts.astral, size: 2 });
    } finally {
      await app.close();
    }
  });
});
