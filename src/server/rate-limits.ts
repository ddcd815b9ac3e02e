/**
 * Rate limits (@fastify/rate-limit, counted in memory on each instance): every request counts
 * against its client address before anything else runs, and once signed in against its person too,
 * so neither one address with many tokens nor one person from many addresses can flood the API.
 * A limited request gets 429 with Retry-After, in the API's error shape, and changes nothing.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { RateLimited } from '../domain/errors';
import './request-caller';

const MINUTE = 60_000;

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
 */
export function personRateLimit(app: FastifyInstance, perMinute: number) {
  const check = app.createRateLimit({ max: perMinute, timeWindow: MINUTE, keyGenerator: (request) => `person:${request.caller?.person.id ?? ''}` });
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.caller) return;
    const result = await check(request);
    // `isAllowed` means on the allow-list; the count is in `isExceeded`.
    if (!result.isAllowed && result.isExceeded) throw limited(request, result);
  };
}
