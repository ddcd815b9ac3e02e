/** The signed-in caller, set by the authentication hook on every /api request that needs one. */
import type { Caller } from '../app/ports';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}
