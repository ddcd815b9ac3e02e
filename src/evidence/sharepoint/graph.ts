/**
 * Talking to Graph. JSON calls go through @microsoft/microsoft-graph-client; file bytes (simple
 * uploads, upload-session ranges, downloads) go through node:https directly so they stream
 * with back-pressure and never sit whole in memory. Both share one keep-alive agent.
 */
import { AuthenticationHandler, Client, GraphError, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { GraphHttpError, parseRetryAfter, withRetry, type RetryPolicy } from '../../graph/errors';
import type { TokenProvider } from '../../graph/app-tokens';

// Shared with the rest of the evidence store, which imports them from here.
export { GraphHttpError, parseRetryAfter, retryDelay, withRetry, type RetryPolicy } from '../../graph/errors';

/**
 * SharePoint asks every app to name itself in User-Agent ("decorate your traffic"), as
 * `ISV|CompanyName|AppName/Version`, so its throttling can tell the app's calls apart.
 */
export function sharePointUserAgent(company: string, app: string, version: string): string {
  const clean = (part: string): string => part.replace(/[|/\r\n]/g, ' ').trim();
  return `ISV|${clean(company)}|${clean(app).replace(/\s+/g, '')}/${clean(version)}`;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RawRequest {
  method: string;
  url: string;
  headers?: Record<string, string | number>;
  body?: Readable | Buffer | string;
}

/** Idle time after which a call is abandoned, so a silent server cannot hold an upload forever. */
const IDLE_TIMEOUT_MS = 120_000;

export class GraphTransport {
  readonly agent: Agent;

  constructor(
    caCertificate?: string,
    private readonly userAgent?: string,
  ) {
    this.agent = new Agent({ keepAlive: true, ...(caCertificate ? { ca: caCertificate } : {}) });
  }

  /** Sends a request and buffers the (small, JSON) answer. */
  async send(req: RawRequest): Promise<RawResponse> {
    const res = await this.open(req);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
    } catch (error) {
      throw networkError(error);
    }
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
  }

  /** Sends a request and hands back the answer unread, for streaming downloads. */
  open(req: RawRequest): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const headers = this.userAgent ? { ...req.headers, 'user-agent': this.userAgent } : req.headers;
      const outgoing = httpsRequest(req.url, { method: req.method, headers, agent: this.agent, timeout: IDLE_TIMEOUT_MS });
      outgoing.on('timeout', () => outgoing.destroy(new Error('The server stopped answering.')));
      outgoing.on('error', (error) => reject(networkError(error)));
      outgoing.on('response', resolve);
      const body = req.body;
      if (body instanceof Readable) {
        // A failed read or a dropped connection must release the other side too.
        body.on('error', (error) => outgoing.destroy(error));
        outgoing.on('close', () => body.destroy());
        body.pipe(outgoing);
      } else {
        outgoing.end(body);
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function networkError(error: unknown): GraphHttpError {
  return new GraphHttpError(0, 'network', error instanceof Error ? error.message : String(error), null);
}

export function errorFromResponse(res: RawResponse): GraphHttpError {
  let code = `http_${res.status}`;
  let message = `Graph answered ${res.status}.`;
  try {
    // Graph sends `message` as a string; SharePoint REST as `{ lang, value }`.
    const parsed = JSON.parse(res.body.toString('utf8')) as { error?: { code?: string; message?: string | { value?: string } } };
    const said = parsed.error?.message;
    code = parsed.error?.code ?? code;
    message = (typeof said === 'string' ? said : said?.value) ?? message;
  } catch {
    // Not JSON: keep the status-based description.
  }
  const retryAfter = res.headers['retry-after'];
  return new GraphHttpError(res.status, code, message, parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter));
}

/** The Graph client's last middleware: sends through our agent instead of global fetch. */
class NodeHttpsHandler implements Middleware {
  constructor(private readonly transport: GraphTransport) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = context.options ?? {};
    const headers: Record<string, string> = {};
    new Headers(options.headers as HeadersInit | undefined).forEach((value, key) => {
      headers[key] = value;
    });
    const body = options.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new GraphHttpError(0, 'unsupported_body', 'Only JSON bodies are sent through the Graph client.', null);
    }
    if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
    const res = await this.transport.send({ method: options.method ?? 'GET', url, headers, ...(typeof body === 'string' ? { body } : {}) });
    const responseHeaders = new Headers();
    for (const [key, value] of Object.entries(res.headers)) {
      if (value !== undefined) responseHeaders.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const empty = res.status === 204 || res.status === 304 || res.body.length === 0;
    context.response = new Response(empty ? null : new Uint8Array(res.body), { status: res.status, headers: responseHeaders });
  }
}

export class GraphApi {
  readonly transport: GraphTransport;
  private readonly client: Client;

  constructor(
    readonly baseUrl: string,
    private readonly token: TokenProvider,
    readonly policy: RetryPolicy,
    caCertificate?: string,
    userAgent?: string,
  ) {
    this.transport = new GraphTransport(caCertificate, userAgent);
    const url = new URL(baseUrl);
    const segments = url.pathname.split('/').filter(Boolean);
    const version = segments.pop() ?? 'v1.0';
    this.client = Client.initWithMiddleware({
      middleware: [new AuthenticationHandler({ getAccessToken: () => this.token() }), new NodeHttpsHandler(this.transport)],
      baseUrl: `${url.origin}/${segments.map((s) => `${s}/`).join('')}`,
      defaultVersion: version,
      customHosts: new Set([url.hostname]),
    });
  }

  /** A JSON call with the retry policy applied. `path` is relative to the version root. */
  async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return withRetry(this.policy, () => this.once<T>(method, path, body));
  }

  private async once<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    // Fetched here first (MSAL caches it) so a token failure keeps its own status.
    await this.token();
    const request = this.client.api(path);
    try {
      switch (method) {
        case 'GET':
          return (await request.get()) as T;
        case 'POST':
          return (await request.post(body ?? {})) as T;
        case 'PATCH':
          return (await request.patch(body ?? {})) as T;
        case 'PUT':
          return (await request.put(body ?? {})) as T;
        case 'DELETE':
          return (await request.delete()) as T;
      }
    } catch (error) {
      throw fromGraphClientError(error);
    }
  }

  /** An authorised request outside the JSON client (file bytes). */
  async authorisedHeaders(extra: Record<string, string | number> = {}): Promise<Record<string, string | number>> {
    return { authorization: `Bearer ${await this.token()}`, ...extra };
  }

  url(path: string): string {
    return `${this.baseUrl.replace(/\/$/, '')}${path}`;
  }

  close(): void {
    this.transport.close();
  }
}

function fromGraphClientError(error: unknown): GraphHttpError {
  if (error instanceof GraphHttpError) return error;
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : 0;
    return new GraphHttpError(status, error.code ?? (status ? `http_${status}` : 'network'), error.message, parseRetryAfter(error.headers?.get('retry-after')));
  }
  return new GraphHttpError(0, 'network', error instanceof Error ? error.message : String(error), null);
}
