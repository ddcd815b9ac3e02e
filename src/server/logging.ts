/**
 * What the server writes to its log. Database drivers attach the query, its parameters and the
 * failing row to their errors (PGlite: `params`; PostgreSQL: `detail`, `where`), and those hold
 * children's names, dates of birth and addresses. So errors are logged through an allow-list:
 * their kind, SQLSTATE code, the schema names involved and the stack frames — never a message from
 * the database, never a field we did not choose.
 */
import type { Writable } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';

export interface LoggedError {
  [key: string]: unknown;
  type: string;
  message: string;
  code?: string;
  routine?: string;
  table?: string;
  constraint?: string;
  stack: string;
  cause?: LoggedError;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const MAX_MESSAGE = 300;

function isDatabaseError(error: Error & Record<string, unknown>): boolean {
  return typeof error.severity === 'string' || (typeof error.code === 'string' && SQLSTATE.test(error.code)) || 'params' in error || 'query' in error;
}

const schemaName = (value: unknown): string | undefined => (typeof value === 'string' && /^[a-z_][a-z0-9_]*$/i.test(value) ? value : undefined);

/** The stack without its first line, which repeats the message. */
function frames(stack: string | undefined): string {
  return (stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n');
}

export function loggedError(value: unknown, depth = 0): LoggedError {
  if (!(value instanceof Error)) return { type: typeof value, message: 'a value that is not an Error was thrown', stack: '' };
  const error = value as Error & Record<string, unknown>;
  const type = error.constructor?.name || error.name || 'Error';
  const stack = frames(error.stack);
  const cause = depth < 3 && error.cause !== undefined ? loggedError(error.cause, depth + 1) : undefined;
  if (isDatabaseError(error)) {
    const code = typeof error.code === 'string' && SQLSTATE.test(error.code) ? error.code : undefined;
    return {
      type,
      // The database's own message can quote the values it refused.
      message: `database error${code ? ` ${code}` : ''}`,
      stack,
      ...(code ? { code } : {}),
      ...(schemaName(error.routine) ? { routine: schemaName(error.routine) } : {}),
      ...(schemaName(error.table) ? { table: schemaName(error.table) } : {}),
      ...(schemaName(error.constraint) ? { constraint: schemaName(error.constraint) } : {}),
      ...(cause ? { cause } : {}),
    };
  }
  return {
    type,
    message: error.message.length > MAX_MESSAGE ? `${error.message.slice(0, MAX_MESSAGE)}…` : error.message,
    stack,
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(cause ? { cause } : {}),
  };
}

/**
 * A request as its log lines show it. Fastify's own lists the whole URL, the client's address and
 * port: a query string carries what people typed (`q=` the name searched for) and one-time content
 * links (`ticket=`), and an address is personal data. The parameters' names are kept, not their values.
 */
export function loggedRequest(request: { method?: string; url?: string }): { method: string; url: string } {
  const url = request.url ?? '';
  const at = url.indexOf('?');
  if (at < 0) return { method: request.method ?? '', url };
  const names = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`);
  return { method: request.method ?? '', url: `${url.slice(0, at)}?${names.join('&')}` };
}

/** Fastify's logger settings: the error allow-list, requests without their query's values, and no credentials from the request headers. */
export function loggerOptions(level: string, stream?: Writable, mixin?: () => Record<string, unknown>): FastifyServerOptions['logger'] {
  return {
    level,
    ...(mixin ? { mixin } : {}),
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-ms-token-aad-id-token"]'], censor: '[redacted]' },
    serializers: { err: loggedError, error: loggedError, req: loggedRequest },
    ...(stream ? { stream } : {}),
  };
}
