/**
 * Decisions through two instances on one PostgreSQL against one instance, in the same run (issue
 * 9): the same HTTP clients reach the instances through a round-robin proxy standing in for App
 * Service's front end, so both runs pay for the same extra hop. Each instance has the
 * application's own pool, as scaling out on App Service gives each its own (bench/fair-decisions.ts).
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { overHttp } from './decisions';
import { startServer, type LatencyStats, type RunningServer } from './support';

/** Headers about one connection, not the message (RFC 9110 §7.6.1): a proxy never passes them on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);
const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

/** Streams each request to the next instance in turn over kept-alive connections. */
function roundRobin(targets: string[]): Promise<{ url: string; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const upstreams = targets.map((t) => new URL(t));
  let next = 0;
  const server: Server = createServer((req, res) => {
    const target = upstreams[next] as URL;
    next = (next + 1) % upstreams.length;
    const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: endToEnd(req.headers), agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(res);
    });
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  // Longer than the clients keep an idle connection, so the proxy never closes one as it is reused.
  server.keepAliveTimeout = 120_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    ),
  );
}

/** `requests` requests through the proxy to `instances` servers started on the same database. */
export async function behindProxy(instances: number, env: Record<string, string>, requests: number): Promise<LatencyStats> {
  const servers: RunningServer[] = [];
  try {
    // Started one after the other: the first migrates, the rest find the schema current.
    for (let i = 0; i < instances; i++) servers.push(await startServer(env));
    const proxy = await roundRobin(servers.map((s) => s.url));
    try {
      return await overHttp(proxy.url, requests);
    } finally {
      await proxy.close();
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
