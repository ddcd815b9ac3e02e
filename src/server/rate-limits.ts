/**
 * Rate limits (@fastify/rate-limit, counted in memory on each instance): every request counts
 * against its client address before anything else runs, and once signed in against its person too,
 * so neither one address with many tokens nor one person from many addresses can flood the API.
 * A limited request gets 429 with Retry-After, in the API's error shape, and changes nothing.
 * The bot's activities (POST /api/messages) carry no sign-in of the API's: once the Bot
 * Connector's token is accepted, their sender counts against the same per-person budget.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { RateLimited } from '../domain/errors';
import './request-caller';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Counts a request against a person authenticated otherwise than by the API's sign-in (the
     * sender of a Bot Connector activity, once its token is accepted), in the same `person:<id>`
     * budget as that person's API calls. Resolves to the refusal when the person is over the limit.
     */
    limitPerson(request: FastifyRequest, personId: string): Promise<RateLimited | null>;
  }
}

const MINUTE = 60_000;
/** The person a bot activity came from, for the key generator while its request is counted. */
const activitySenders = new WeakMap<FastifyRequest, string>();

function limited(_request: FastifyRequest, context: { ttl: number }): RateLimited {
  const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
  return new RateLimited(`Too many requests: try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, seconds);
}

export async function registerRateLimits(app: FastifyInstance, limits: { perPersonPerMinute: number; perAddressPerMinute: number }): Promise<void> {
  await app.register(rateLimit, { global: false });
  app.addHook(
    'onRequest',
    app.rateLimit({ max: limits.perAddressPerMinute, timeWindow: MINUTE, keyGenerator: (request) => `address:${request.ip}`, errorResponseBuilder: limited }),
  );
}

/**
 * Registered after sign-in so the person is known; calls nobody signed in count by address only.
 * The plugin runs one hook limiter per request, so the second limit uses its checker directly.
 * Each checker has its own counts, so this one checker also serves `app.limitPerson`.
 */
export function personRateLimit(app: FastifyInstance, perMinute: number) {
  const check = app.createRateLimit({ max: perMinute, timeWindow: MINUTE, keyGenerator: (request) => `person:${activitySenders.get(request) ?? request.caller?.person.id ?? ''}` });
  app.decorate('limitPerson', async (request: FastifyRequest, personId: string): Promise<RateLimited | null> => {
    activitySenders.set(request, personId);
    try {
      const result = await check(request);
      return !result.isAllowed && result.isExceeded ? limited(request, result) : null;
    } finally {
      activitySenders.delete(request);
    }
  });
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.caller) return;
    const result = await check(request);
    // `isAllowed` means on the allow-list; the count is in `isExceeded`.
    if (!result.isAllowed && result.isExceeded) throw limited(request, result);
  };
}
