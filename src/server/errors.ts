/** The one place where error codes become HTTP statuses and the API's error body. */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimited, type ErrorCode } from '../domain/errors';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  stale_version: 409,
  invalid_state: 409,
  too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; rule?: string };
}

export function errorBody(code: string, message: string, fields?: Record<string, string>, rule?: string): ErrorBody {
  return { error: { code, message, ...(fields ? { fields } : {}), ...(rule ? { rule } : {}) } };
}

/** Framework errors that are really the client's: malformed JSON, wrong media type, body too large. */
function clientError(error: FastifyError): { status: number; body: ErrorBody } | null {
  const status = error.statusCode ?? 0;
  if (status < 400 || status >= 500) return null;
  if (status === 413) return { status, body: errorBody('too_large', 'The request is larger than allowed.') };
  if (status === 415) return { status, body: errorBody('unsupported_type', 'Send JSON (or multipart/form-data for evidence).') };
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
    return { status: 400, body: errorBody('validation', 'The request body is not valid JSON.', { '(body)': 'Send a valid JSON object.' }) };
  }
  return { status, body: errorBody(status === 404 ? 'not_found' : 'validation', error.message) };
}

export function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof AppError) {
    if (error instanceof RateLimited) void reply.header('retry-after', String(error.retryAfterSeconds));
    void reply.status(STATUS_BY_CODE[error.code]).send(errorBody(error.code, error.message, error.fields, error.rule));
    return;
  }
  const client = clientError(error as FastifyError);
  if (client) {
    void reply.status(client.status).send(client.body);
    return;
  }
  request.log.error({ err: error }, 'unexpected error');
  void reply.status(500).send(errorBody('internal', 'Something went wrong on our side. Nothing was changed; please try again.'));
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them: headers over the size limit
 * (431) and malformed request lines (400). They get the API's error shape and headers like every
 * other answer (`headers`: the security headers every answer carries), and a request id of their own.
 */
export const answerClientErrors = (headers: Readonly<Record<string, string>>) => (error: Error & { code?: string }, socket: Socket): void => {
  // Node's own default: a socket that can no longer be answered is dropped, never left open.
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    tooLarge
      ? errorBody('headers_too_large', 'The request headers are larger than allowed.')
      : errorBody('validation', 'The request is not well-formed HTTP.'),
  );
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      'cache-control: no-store\r\n' +
      Object.entries({ ...headers, 'x-request-id': randomUUID() })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      'connection: close\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    // The client may still be sending the oversized headers and never close its side; once the
    // answer is written the connection is ours to drop, or the server could not close.
    () => socket.destroy(),
  );
  // If the answer cannot be flushed (a client that never reads), the connection is dropped anyway.
  setTimeout(() => socket.destroy(), 1000).unref();
};
