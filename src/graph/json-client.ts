/**
 * Reading JSON from Microsoft Graph with an app-only token: one GET, or every page of a collection
 * by following `@odata.nextLink` ("Microsoft Graph returns an @odata.nextLink property in the
 * response that contains a URL to the next page of results", learn.microsoft.com/graph/paging).
 * Throttling and busy answers are retried as the shared policy says, waiting Retry-After.
 */
import type { IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { TokenProvider } from './app-tokens';
import { GraphHttpError, parseRetryAfter, withRetry, type RetryPolicy } from './errors';

export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

export interface GraphJsonClientOptions {
  /** Default https://graph.microsoft.com/v1.0 */
  baseUrl?: string;
  token: TokenProvider;
  policy: RetryPolicy;
  /** Extra trusted CA (PEM): a TLS-inspecting proxy, or the local test server. */
  caCertificate?: string;
}

/** Request headers a query needs beyond the token, e.g. `ConsistencyLevel: eventual` for an advanced query. */
export type GraphRequestHeaders = Readonly<Record<string, string>>;

export interface GraphJsonClient {
  /** `path` below the version root (`/users/…`) or an absolute URL on the same host (a next link). */
  get<T>(path: string, headers?: GraphRequestHeaders): Promise<T>;
  /** Every item of a collection, page after page (each with `headers`); throws if any page fails or is malformed. */
  getAll<T>(path: string, headers?: GraphRequestHeaders): Promise<T[]>;
  close(): void;
}

/** Idle time after which a call is abandoned, so a silent server cannot hold a sync forever. */
const IDLE_TIMEOUT_MS = 60_000;

export function createGraphJsonClient(options: GraphJsonClientOptions): GraphJsonClient {
  const base = new URL((options.baseUrl ?? GRAPH_BASE_URL).replace(/\/$/, ''));
  const agent = new Agent({ keepAlive: true, ...(options.caCertificate ? { ca: options.caCertificate } : {}) });

  const resolve = (path: string): string => {
    const url = /^https:\/\//i.test(path) ? new URL(path) : new URL(`${base.href}${path.startsWith('/') ? '' : '/'}${path}`);
    // The token goes only to the configured Graph host, never to a host a page names.
    if (url.origin !== base.origin) throw new GraphHttpError(0, 'foreign_link', `Graph answered with a link to another host (${url.origin}).`, null);
    return url.href;
  };

  const once = async <T>(url: string, headers: GraphRequestHeaders): Promise<T> => {
    const token = await options.token();
    const res = await new Promise<IncomingMessage>((done, fail) => {
      const req = httpsRequest(url, { method: 'GET', agent, timeout: IDLE_TIMEOUT_MS, headers: { ...headers, authorization: `Bearer ${token}`, accept: 'application/json' } });
      req.on('timeout', () => req.destroy(new Error('Graph stopped answering.')));
      req.on('error', (error) => fail(new GraphHttpError(0, 'network', error.message, null)));
      req.on('response', done);
      req.end();
    });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
    } catch (error) {
      throw new GraphHttpError(0, 'network', error instanceof Error ? error.message : String(error), null);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // A cut or garbled answer: worth another try like a dropped connection.
      if (status >= 200 && status < 300) throw new GraphHttpError(0, 'malformed', 'Graph answered with something that is not JSON.', null);
    }
    if (status >= 200 && status < 300) return body as T;
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const retryAfter = res.headers['retry-after'];
    throw new GraphHttpError(
      status,
      typeof error?.code === 'string' ? error.code : `http_${status}`,
      typeof error?.message === 'string' ? error.message : `Graph answered ${status}.`,
      parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
    );
  };

  const get = async <T>(path: string, headers: GraphRequestHeaders = {}): Promise<T> => {
    const url = resolve(path);
    return withRetry(options.policy, () => once<T>(url, headers));
  };

  return {
    get,
    async getAll<T>(path: string, headers: GraphRequestHeaders = {}): Promise<T[]> {
      const items: T[] = [];
      let next: string | undefined = path;
      while (next) {
        const page: unknown = await get<unknown>(next, headers);
        const value = (page as { value?: unknown } | null)?.value;
        const link = (page as Record<string, unknown> | null)?.['@odata.nextLink'];
        if (!Array.isArray(value) || (link !== undefined && typeof link !== 'string')) {
          throw new GraphHttpError(0, 'malformed_page', `Graph answered a page of ${path} without a "value" list.`, null);
        }
        items.push(...(value as T[]));
        next = link;
      }
      return items;
    },
    close() {
      agent.destroy();
    },
  };
}
