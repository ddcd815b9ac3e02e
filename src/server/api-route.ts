/**
 * Registers a route from its contract (src/server/api-contract.ts): the same table the OpenAPI
 * document is generated from, so a route cannot answer other than its document says.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { validationError } from '../domain/errors';
import { assertSafeInput } from '../domain/forms';
import { jsonBytes } from './json-bytes';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A file answered as it is (evidence, a filed document, an export), described by its media types. */
export interface FileAnswer {
  file: readonly string[];
}

export interface RouteContract {
  method: HttpMethod;
  /** As OpenAPI writes it: `/api/requests/{id}`. */
  path: string;
  summary: string;
  description?: string;
  /** Answered without a bearer token. */
  public?: boolean;
  params?: z.ZodObject;
  query?: z.ZodType;
  /** A JSON body. */
  body?: z.ZodType;
  /**
   * The body is another service's protocol (the Bot Connector's activities): a chat message may
   * hold any character, so the character rule applies to what the route takes from it, not to all of it.
   */
  foreignBody?: boolean;
  bodyRequired?: boolean;
  /** A multipart/form-data body instead, part by part. */
  multipart?: z.ZodObject;
  /** The status of a successful answer. */
  status: number;
  /** Its body: JSON of this schema, a file, or nothing. */
  response: z.ZodType | FileAnswer | null;
  /** The error statuses the route may answer with the API's error body. */
  errors: readonly number[];
}

export type Answer<C extends RouteContract> = C['response'] extends z.ZodType ? z.output<C['response']> : C['response'] extends null ? void : FastifyReply;

export interface ApiRoutes {
  /** The handler answers the contract's success, or sends another answer itself (a 503, the bot's status) and returns the reply. */
  add<C extends RouteContract>(contract: C, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<Answer<C> | FastifyReply>): void;
}

/** What Fastify itself names a JSON answer. */
const JSON_TYPE = 'application/json; charset=utf-8';

export function isFileAnswer(response: RouteContract['response']): response is FileAnswer {
  return response !== null && 'file' in response;
}

/** `{id}` as Fastify writes it: `:id`. */
export function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * With `checkResponses` (tests), every JSON answer is checked against its schema: one that does
 * not match it, or carries a field the schema does not name, fails the call instead of leaking.
 */
export function apiRoutes(app: FastifyInstance, options: { checkResponses: boolean }): ApiRoutes {
  return {
    add(contract, handler) {
      app.route({
        method: contract.method,
        url: fastifyPath(contract.path),
        handler: async (request, reply) => {
          refuseUnsafeInput(request, contract);
          const answer = await handler(request, reply);
          if (reply.sent || answer === reply) return reply;
          const { response } = contract;
          if (response === null) return reply.status(contract.status).send();
          if (isFileAnswer(response)) return reply;
          if (options.checkResponses) checkAnswer(contract, response, answer);
          return reply.status(contract.status).type(JSON_TYPE).send(jsonBytes(answer));
        },
      });
    },
  };
}

/**
 * The character rule (domain/forms.ts) for everything a route is given, before its handler runs:
 * an address or query parameter goes to the database as it is (PostgreSQL refuses NUL with an error
 * that would be a 500), and a body field a schema forgot is caught here too.
 */
function refuseUnsafeInput(request: FastifyRequest, contract: RouteContract): void {
  refuseMalformedQuery(request.url);
  for (const input of [request.params, request.query, contract.foreignBody ? undefined : request.body]) assertSafeInput(input);
}

/**
 * The query parser turns bad percent-encoding and invalid UTF-8 into replacement characters, or
 * drops the parameter: text other than what was sent would be searched for or stored. It is
 * refused instead, as the path's is (server.ts, frameworkErrors).
 */
function refuseMalformedQuery(url: string): void {
  const at = url.indexOf('?');
  if (at < 0) return;
  for (const piece of url.slice(at + 1).split(/[&=]/)) {
    try {
      decodeURIComponent(piece.replace(/\+/g, ' '));
    } catch {
      throw validationError({ '(query)': 'Encode the query as UTF-8: % followed by two hexadecimal digits for each byte.' }, 'The address is not well-formed.');
    }
  }
}

function checkAnswer(contract: RouteContract, schema: z.ZodType, answer: unknown): void {
  const sent: unknown = JSON.parse(JSON.stringify(answer));
  const parsed = schema.safeParse(sent);
  const where = `${contract.method} ${contract.path}`;
  if (!parsed.success) throw new Error(`${where} answered outside its response schema: ${z.prettifyError(parsed.error)}`);
  if (!isDeepStrictEqual(parsed.data, sent)) throw new Error(`${where} answered fields its response schema does not name: ${extraFields(sent, parsed.data).join(', ')}`);
}

function extraFields(sent: unknown, kept: unknown, path = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(kept)) return sent.flatMap((item, i) => extraFields(item, kept[i], `${path}[${i}]`));
  if (!sent || typeof sent !== 'object' || !kept || typeof kept !== 'object') return [];
  return Object.entries(sent).flatMap(([key, value]) => (key in kept ? extraFields(value, (kept as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}`]));
}
