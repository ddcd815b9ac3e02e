/**
 * The composition root: builds the store, the evidence store, identity and the HTTP routes.
 * Everything the server does is wired here and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { AppDeps } from '../app/deps';
import { systemClock } from '../app/deps';
import type { Caller, Clock, EvidenceStore } from '../app/ports';
import { expireDueRequests } from '../app/requests/expire-due';
import { sendDueReminders } from '../app/requests/send-reminders';
import { listPeople } from '../app/people/list-people';
import { AppError } from '../domain/errors';
import { createEvidenceStore } from '../evidence';
import { recordPendingUploadStored } from '../app/requests/evidence';
import { createAuthenticator, type TeamsSsoVerifier } from '../identity/authenticate';
import { cachedDirectory } from '../identity/cached-directory';
import { DEMO_PEOPLE } from '../identity/demo-directory';
import { createLocalTokens, loadLocalSigningKey } from '../identity/local-tokens';
import { createTeamsSsoVerifier } from '../identity/teams-sso';
import { createStore, type SqlStore } from '../store';
import { createDispatcher } from '../notify/dispatcher';
import { PermanentDeliveryError } from '../notify/ports';
import { routeByKind } from '../notify/route-by-kind';
import { filingSender } from './record-documents';
import { createGraphAppInstaller, createTeamsBot } from '../../bot';
import { createTokenProvider } from '../evidence/sharepoint/auth';
import type { ServerConfig } from './config';
import { errorBody, handleError } from './errors';
import { openApiDocument } from './openapi';
import { registerDevRoutes } from './routes/dev';
import { makeTmpDir, registerRequestRoutes } from './routes/requests';
import { securityHeaders } from './security';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export interface BuildOptions {
  /** Replace parts for tests: a store already open, a fixed clock, another evidence store. */
  store?: SqlStore;
  clock?: Clock;
  evidence?: EvidenceStore;
  teamsSso?: TeamsSsoVerifier;
  /** Run the periodic expiry sweep (off in tests, which call it directly). */
  sweepIntervalMs?: number;
  /** Deliver the outbox in the background (default on; tests drain it themselves). */
  dispatch?: boolean;
}

export interface BuiltServer {
  app: FastifyInstance;
  dispatcher: ReturnType<typeof createDispatcher>;
  deps: AppDeps;
  store: SqlStore;
  close(): Promise<void>;
}

const TAB_DIST = path.resolve(__dirname, '../../tab/dist');

/**
 * Vite names every file under assets/ by a hash of its content, so it never changes and may be
 * kept for a year; index.html names the current ones and must be checked on every load.
 */
export function tabCacheControl(filePath: string): string {
  return /(^|[\\/])assets[\\/]/.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
const PUBLIC_PATHS = ['/api/health', '/api/openapi.json', '/api/dev/', '/api/messages'];

export async function buildServer(config: ServerConfig, options: BuildOptions = {}): Promise<BuiltServer> {
  const store = options.store ?? (await createStore({ dataDir: config.dataDir, poolSize: config.databasePoolSize, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) }));
  const directory = cachedDirectory(store.read.directory);
  const configured = createEvidenceStore(config.evidence);
  const evidence = options.evidence ?? configured;
  const deps: AppDeps = {
    store,
    directory,
    evidence,
    clock: options.clock ?? systemClock,
    settings: { workflow: { authorisationValidDays: config.authorisationValidDays }, protocol: config.protocol, maxEvidenceBytes: config.maxEvidenceBytes },
  };
  const localTokens = config.localSignIn ? createLocalTokens(await loadLocalSigningKey(config.dataDir)) : undefined;
  if (config.localSignIn) {
    for (const person of DEMO_PEOPLE) await store.people.upsert(person);
  }
  const teamsSso = options.teamsSso ?? (config.teamsSso ? createTeamsSsoVerifier(config.teamsSso) : undefined);
  const authenticate = createAuthenticator({ directory, ...(localTokens ? { local: localTokens } : {}), ...(teamsSso ? { teamsSso } : {}) });

  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    trustProxy: config.production,
  });
  app.setErrorHandler(handleError);
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-request-id', request.id);
    for (const [name, value] of Object.entries(securityHeaders())) void reply.header(name, value);
    return payload;
  });
  await app.register(multipart, { limits: { files: 1, fields: 4, fieldSize: 64 * 1024, fileSize: config.maxEvidenceBytes + 1 } });

  app.addHook('preHandler', async (request) => {
    const url = request.url.split('?')[0] ?? '';
    if (!url.startsWith('/api/') || PUBLIC_PATHS.some((p) => url === p || (p.endsWith('/') && url.startsWith(p)))) return;
    const person = await authenticate(request.headers.authorization);
    request.caller = { person, requestId: request.id };
  });
  const caller = (request: FastifyRequest): Caller => {
    if (!request.caller) throw new AppError('unauthenticated', 'Sign in first.');
    return request.caller;
  };

  app.get('/api/health', async () => ({ status: 'ok' }));
  app.get('/api/openapi.json', async () => openApiDocument());
  app.get('/api/me', async (request) => {
    const { person } = caller(request);
    return { id: person.id, displayName: person.displayName, roles: person.roles, managerId: person.managerId ?? null, aadObjectId: person.aadObjectId, team: person.team ?? null, email: person.email ?? null };
  });
  app.get('/api/people', async (request) => listPeople(deps, caller(request), request.query));
  if (localTokens) await registerDevRoutes(app, directory, localTokens);
  await registerRequestRoutes(app, { deps, caller, tmpDir: await makeTmpDir(config.dataDir) });

  const bot = createTeamsBot({
    deps,
    db: store.db,
    tabUrl: config.publicUrl,
    allowUnauthenticatedLoopback: config.localSignIn,
    ...config.bot,
    installer: config.appInstall
      ? createGraphAppInstaller({
          catalogAppId: config.appInstall.catalogAppId,
          ...(config.appInstall.graphBaseUrl ? { graphBaseUrl: config.appInstall.graphBaseUrl } : {}),
          token: createTokenProvider(config.appInstall.credentials),
        })
      : null,
    onError: (error) => app.log.error({ err: error }, 'bot'),
  });
  // The socket's address, never a forwarded header: loopback-only local mode depends on it.
  app.post('/api/messages', async (request, reply) => {
    const result = await bot.handleActivity({ headers: request.headers, body: request.body, remoteAddress: request.socket.remoteAddress ?? '' });
    return reply.status(result.status).send(result.body ?? '');
  });
  const preview = bot.preview;
  if (preview) {
    app.get('/preview', async (_request, reply) => reply.redirect('/preview/'));
    app.all('/preview/*', async (request, reply) => {
      const url = new URL(request.url, 'http://localhost');
      const result = await preview.handle({
        method: request.method,
        path: url.pathname.slice('/preview'.length) || '/',
        query: url.searchParams,
        body: request.body,
        remoteAddress: request.socket.remoteAddress ?? '',
      });
      return reply.status(result.status).headers(result.headers ?? {}).send(result.body);
    });
  }
  const filing = filingSender(deps, configured);
  const dispatcher = createDispatcher({
    queue: store.outboxQueue,
    sender: routeByKind({ record_documents: filing }, bot.sender),
    clock: deps.clock,
    onError: (error, message) => {
      // Someone without the app installed is expected and shown in the tab; log it without a stack.
      if (error instanceof PermanentDeliveryError) app.log.info({ outboxId: message?.id, reason: error.message }, 'notification not deliverable');
      else app.log.warn({ err: error, outboxId: message?.id }, 'notification delivery failed; will retry');
    },
  });
  if (options.dispatch ?? true) dispatcher.start();
  app.addHook('onResponse', async (request, reply) => {
    // Cards go out as soon as a change commits, rather than at the next poll.
    if (request.method !== 'GET' && reply.statusCode < 400 && request.url.startsWith('/api/requests/')) dispatcher.nudge();
  });

  if (existsSync(TAB_DIST)) {
    await app.register(fastifyStatic, {
      root: TAB_DIST,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // The build writes .br and .gz beside each asset (tab/vite.config.ts).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, filePath) => res.setHeader('cache-control', tabCacheControl(filePath)),
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (request.method === 'GET' && !url.startsWith('/api/') && existsSync(path.join(TAB_DIST, 'index.html'))) {
      return reply.type('text/html').header('cache-control', tabCacheControl('index.html')).sendFile('index.html');
    }
    return reply.status(404).send(errorBody('not_found', `Nothing at ${request.method} ${url}.`));
  });

  let sweep: NodeJS.Timeout | undefined;
  if (options.sweepIntervalMs) {
    sweep = setInterval(() => {
      expireDueRequests(deps)
        .then(() => configured.retryPendingUploads((pendingKey, stored) => recordPendingUploadStored(deps, pendingKey, stored)))
        .then(() => sendDueReminders(deps, config.reminders))
        .then((written) => {
          if (written > 0) dispatcher.nudge();
        })
        .catch((error: unknown) => app.log.error({ err: error }, 'expiry and reminder sweep failed'));
    }, options.sweepIntervalMs);
    sweep.unref();
  }

  return {
    app,
    deps,
    store,
    dispatcher,
    async close() {
      if (sweep) clearInterval(sweep);
      await dispatcher.stop();
      await app.close();
      configured.close();
      await store.close();
    },
  };
}
