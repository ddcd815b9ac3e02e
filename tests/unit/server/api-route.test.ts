/**
 * A route answers only what its contract names (issue 11 item 4): with response checking on, an
 * answer carrying a field its schema does not name, or of the wrong shape, fails the call rather
 * than reaching the client.
 */
import fc from 'fast-check';
import Fastify from 'fastify';
import { z } from 'zod';
import { apiRoutes, type RouteContract } from '../../../src/server/api-route';
import { jsonBytes } from '../../../src/server/json-bytes';

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

  it.each([
    ['a list whose items hold what JSON leaves out or converts', { items: [{ a: undefined, b: () => 1, c: Symbol('c'), d: new Date(0), e: NaN, f: [undefined, () => 1] }, undefined, null], nextCursor: undefined }],
    ['a top-level array', [{ n: 1 }, [2, [3]], 'four’s']],
    ['empty containers', { items: [], counts: {}, nested: [[], {}] }],
    ['a top-level Date, and a Date in a list', [new Date(86_400_000), { at: new Date(0) }]],
    ['objects of no prototype, and class instances', { plain: Object.assign(Object.create(null) as object, { a: 1 }), map: new Map([[1, 2]]), boxed: [new String('s'), new Number(2)] }],
    ['objects with a toJSON of their own, called with the key they lie under', { items: [{ toJSON: (key: string) => `item ${key}` }, { toJSON: () => undefined }], top: { toJSON: (key: string) => `key ${key}` }, gone: { toJSON: () => undefined }, deep: [[{ toJSON: (key: string) => `deep ${key}` }]] }],
    ['a top-level toJSON', { toJSON: (key: string) => ({ key, items: [1] }) }],
    ['numbers, booleans and null at every depth', { a: 1.5, b: [true, false, null, -0, 1e21], c: { d: [Infinity] } }],
    ['keys that need escaping', { 'quote"': 1, 'line\nbreak': { 'dash—': ['’'] }, '10': 'integer-like keys first', '2': 'as JSON.stringify orders them' }],
  ])('writes %s as JSON.stringify would', (_, answer) => {
    expect(jsonBytes(answer).toString('utf8')).toBe(JSON.stringify(answer));
  });

  it('writes any JSON value exactly as Buffer.from(JSON.stringify(…)) would', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (answer) => {
        expect(jsonBytes(answer).equals(Buffer.from(JSON.stringify(answer)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('writes a list of fifty long requests, every item with text beyond Latin-1, as Buffer.from(JSON.stringify(…)) would', () => {
    const answer = { items: Array.from({ length: 50 }, (_, i) => ({ id: i, nextStep: 'The service director’s decision – then the access worker’s search', concernDetails: `Zoë ${'x'.repeat(2_000)} 😀` })), nextCursor: 'abc', counts: { waitingForMe: 60 } };
    expect(jsonBytes(answer).equals(Buffer.from(JSON.stringify(answer)))).toBe(true);
  });

  it('refuses an answer that is not a JSON value', () => {
    expect(() => jsonBytes(undefined)).toThrow('An answer must be a JSON value.');
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
