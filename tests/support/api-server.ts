/** Starts the real server on a free port over a fresh database, for tests that speak HTTP to it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Clock } from '../../src/app/ports';
import { buildServer, type BuiltServer } from '../../src/main/server';
import { loadConfig } from '../../src/server/config';
import { freshDatabase, type BackendName, type TestDatabase } from './databases';

export interface ApiHarness {
  url: string;
  server: BuiltServer;
  database: TestDatabase;
  dataDir: string;
  token(userId: string): Promise<string>;
  /** Tokens for several people at once, by id. */
  tokens<K extends string>(...userIds: K[]): Promise<Record<K, string>>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: ApiBody; headers: Headers }>;
  close(): Promise<void>;
}

/** The fields tests read from API responses; each test asserts the rest of the shape. */
export interface ApiBody {
  id?: string;
  state?: string;
  version?: number;
  allowedActions?: { action: string; reasonRequired: boolean }[];
  token?: string;
  sha256?: string;
  size?: number;
  subjects?: { id: string; kind: string; name?: string }[];
  error?: { code: string; message: string; fields?: Record<string, string>; rule?: string };
  [key: string]: unknown;
}

export async function startApi(backend: BackendName, options: { env?: Record<string, string>; clock?: Clock; logStream?: Writable; sequence?: boolean; shutdownGraceMs?: number; dispatch?: boolean } = {}): Promise<ApiHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'smc-api-'));
  const database = await freshDatabase(backend);
  const store = await database.open();
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...('DATABASE_URL' in database.env ? { DATABASE_URL: database.env.DATABASE_URL } : {}), ...options.env });
  const server = await buildServer(config, { store, dispatch: options.dispatch ?? false, checkResponses: true, ...(options.clock ? { clock: options.clock } : {}), ...(options.logStream ? { logStream: options.logStream } : {}), ...(options.sequence === undefined ? {} : { sequence: options.sequence }), ...(options.shutdownGraceMs === undefined ? {} : { shutdownGraceMs: options.shutdownGraceMs }) });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const call: ApiHarness['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    }
    const response = await fetch(`${address}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };
  return {
    url: address,
    server,
    database,
    dataDir,
    call,
    async token(userId) {
      const { body } = await call('POST', '/api/dev/token', { body: { userId } });
      return body.token as string;
    },
    async tokens(...userIds) {
      const entries = await Promise.all(userIds.map(async (id) => [id, (await call('POST', '/api/dev/token', { body: { userId: id } })).body.token as string] as const));
      return Object.fromEntries(entries) as Record<(typeof userIds)[number], string>;
    },
    async close() {
      await server.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
