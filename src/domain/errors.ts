/**
 * Typed errors. The code says what went wrong; the HTTP status is decided at the edge
 * (src/server/errors.ts) so the domain stays free of transport.
 */
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'stale_version'
  | 'invalid_state'
  | 'too_large'
  | 'unsupported_type'
  | 'rate_limited'
  | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    /** The protocol rule a refusal applies, by its id in src/domain/protocol.ts. */
    readonly rule?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Too much at once: try again after the given number of seconds. */
export class RateLimited extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
  }
}

export const validationError = (fields: Record<string, string>, message = 'Some answers need attention.'): AppError =>
  new AppError('validation', message, fields);
export const forbidden = (message: string): AppError => new AppError('forbidden', message);
export const notFound = (message: string): AppError => new AppError('not_found', message);
export const invalidState = (message: string): AppError => new AppError('invalid_state', message);
