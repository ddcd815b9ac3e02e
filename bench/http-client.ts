/**
 * The load generator's HTTP/1.1 client: node:http over kept-alive connections, nothing more.
 *
 * Why not fetch: the load generator shares the machine's two cores with the server and the
 * database it measures, and undici's fetch (Request and Response objects, header guards, web
 * streams) cost the bench process about 2.5 ms of CPU per decision over HTTP (2.0 to 3.1 ms in
 * four runs), against about 1 ms (0.7 to 1.2 ms) with this client: CPU taken from the server under
 * test, while pgbench, the bare baseline, is a C client that costs next to nothing. Every answer is
 * still read whole, so the server's work of writing it stays measured.
 */
import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

export interface HttpRequestOptions {
  headers?: OutgoingHttpHeaders;
  /** A Buffer is sent as it is (the caller names its content-type); anything else is sent as JSON. */
  body?: unknown;
}

export interface HttpClient {
  request(method: string, url: string, options?: HttpRequestOptions): Promise<HttpAnswer>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/** One client: its own agent, at most `maxSockets` connections open to each server at once. */
export function httpClient(maxSockets: number): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    request(method, url, { headers = {}, body } = {}) {
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      // Without a body node sends no length on a GET and "content-length: 0" on a POST, as fetch does.
      const sent: OutgoingHttpHeaders = payload ? { ...headers, 'content-length': payload.length } : headers;
      if (payload && !Buffer.isBuffer(body)) sent['content-type'] = 'application/json';
      return new Promise((resolve, reject) => {
        const req = httpRequest(url, { method, headers: sent, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

/** The answer's body parsed as JSON (an empty body as an empty object). */
export function json<T = Record<string, unknown>>(answer: HttpAnswer): T {
  return (answer.body.length === 0 ? {} : JSON.parse(answer.body.toString('utf8'))) as T;
}
