/**
 * The composition root: builds the store, the evidence store, identity, the bot and the HTTP
 * routes, and joins them. Everything the server does is wired here and nowhere else; only src/main/
 * imports bot/.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { AppDeps } from '../app/deps';
import { systemClock } from '../app/deps';
import type { Caller, Clock, DirectorySource, EvidenceStore } from '../app/ports';
import { expireDueRequests } from '../app/requests/expire-due';
import { sendDueReminders } from '../app/requests/send-reminders';
import { removeAllDisposedFiles } from '../app/retention/remove-disposed-files';
import { flushRefusalCounts, REFUSAL_FLUSH_EVERY_MS } from '../app/refusal-window';
import { escalateWaitingDecisions } from '../app/requests/escalate-waiting';
import { sendDeputyCards } from '../app/deputies/send-deputy-cards';
import { askSurveysByBot } from '../app/surveys/ask-surveys-by-bot';
import { withStandingIn } from '../app/deputies/standing-in';
import { AppError, validationError } from '../domain/errors';
import { createEvidenceStore } from '../evidence';
import { removeUnfinishedEvidence } from '../evidence/local-disk';
import { recordPendingUploadStored } from '../app/requests/evidence';
import { createAuthenticator, type TeamsSsoVerifier } from '../identity/authenticate';
import { cachedDirectory } from '../identity/cached-directory';
import { DEMO_PEOPLE } from '../identity/demo-directory';
import { createLocalTokens, loadLocalSigningKey } from '../identity/local-tokens';
import { createTeamsSsoVerifier } from '../identity/teams-sso';
import { createConversationStore, createEvaluationProjector, createOperations, createPendingEvidenceQueue, createStore, type SqlStore } from '../store';
import { anchorCheckpoint, anchorIfDue, createAuditSequencer, type AuditSequencer, type SignedCheckpoint } from '../audit';
import { createCheckpointStore, loadCheckpointSigner } from '../server/audit-anchor';
import { createDispatcher } from '../notify/dispatcher';
import { PermanentDeliveryError } from '../notify/ports';
import { routeByKind } from '../notify/route-by-kind';
import { filingSender, folderReadersSender } from '../server/record-documents';
import type { TeamsBot } from '../../bot';
import { teamsTabLink } from '../../bot/tab-link';
import { createGraphAppInstaller, graphSignIn } from '../graph';
import { appRoot } from '../version';
import { createGraphJsonClient, type GraphJsonClient } from '../graph';
import { scheduleDirectorySync, type DirectorySyncSchedule } from '../app/directory/schedule';
import { syncDirectory } from '../app/directory/sync-directory';
import { seedPeople } from '../app/directory/seed-people';
import { demoDirectorySource } from '../identity/demo-directory-source';
import { graphDirectorySource } from '../identity/graph-directory-source';
import { registerAdminRoutes } from '../server/routes/admin';
import type { ServerConfig } from '../server/config';
import { answerClientErrors, errorBody, handleError } from '../server/errors';
import { personRateLimit, registerRateLimits } from '../server/rate-limits';
import { registerLegalPages } from '../server/legal-pages';
import { loggerOptions } from '../server/logging';
import { openApiDocument } from '../server/openapi';
import { registerDevRoutes } from '../server/routes/dev';
import { registerOperationsRoutes } from '../server/routes/operations';
import { registerEvaluationRoutes } from '../server/routes/evaluation';
import { registerRetentionRoutes } from '../server/routes/retention';
import { contentTicket, makeTmpDir, registerRequestRoutes } from '../server/routes/requests';
import { securityHeaders } from '../server/security';
import { apiRoutes } from '../server/api-route';
import { API_ROUTES, hostRoutes } from '../server/api-contract';
import { registerPeopleRoutes } from '../server/routes/people';
import { createUploadSlots } from '../server/upload-slots';

export interface BuildOptions {
  /**
   * Replace parts for tests: a store already open (or being opened: start-up opens PGlite while
   * the server's modules load), a fixed clock, another evidence store.
   */
  store?: SqlStore | Promise<SqlStore>;
  clock?: Clock;
  evidence?: EvidenceStore;
  teamsSso?: TeamsSsoVerifier;
  /** Run the periodic expiry sweep (off in tests, which call it directly). */
  sweepIntervalMs?: number;
  /** Deliver the outbox in the background (default on; tests drain it themselves). */
  dispatch?: boolean;
  /** Link audit entries into the chain in the background (default on). */
  sequence?: boolean;
  /** How often to check whether a day has passed since the last published checkpoint (off unless given). */
  anchorIntervalMs?: number;
  /** Where log lines go (default standard output); tests read them. */
  logStream?: Writable;
  /** Sync the directory at start-up and on its schedule (default on when configured; tests ask for it). */
  scheduleDirectorySync?: boolean;
  /** How long close() lets requests in progress finish before dropping their connections. */
  shutdownGraceMs?: number;
  /** Graph retry policy for the directory sync (tests shorten the waits). */
  directoryRetry?: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Check every JSON answer against its route's response schema, failing the call on a mismatch (tests). */
  checkResponses?: boolean;
}

export interface BuiltServer {
  app: FastifyInstance;
  dispatcher: ReturnType<typeof createDispatcher>;
  sequencer: AuditSequencer;
  /** Signs the chain's checkpoint and publishes it now; null when no key is configured or nothing is linked. */
  anchor(): Promise<SignedCheckpoint | null>;
  deps: AppDeps;
  store: SqlStore;
  /** Every route the server answers, one per method, as registered (the fuzzing suite covers each). */
  routes: readonly RouteSummary[];
  /** Loads the bot now rather than on first use; its modules load synchronously, blocking requests for about a second. */
  loadBot(): Promise<void>;
  close(): Promise<void>;
}

export interface RouteSummary {
  method: string;
  url: string;
}

const requestContext = new AsyncLocalStorage<string>();
/**
 * Long enough for an API call to finish, short enough for a platform's stop signal to be obeyed:
 * requests finish while the outbox's deliveries do (at most DEFAULT_STOP_TIMEOUT_MS, 8 s), so
 * shutdown ends within 10 s (App Service waits no longer; start.ts exits then regardless).
 */
const SHUTDOWN_GRACE_MS = 8_000;

/**
 * The methods an API address takes, for a 405 with Allow when it is called with another (RFC 9110
 * §15.5.6) rather than a 404 that says it is not there. Parameters match one path segment.
 */
function methodsAt(routes: readonly RouteSummary[], url: string): string[] {
  if (!url.startsWith('/api/')) return [];
  const pattern = (route: string) => new RegExp(`^${route.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
  const matching = routes.filter((r) => r.url.startsWith('/api/') && !r.url.includes('*') && pattern(r.url).test(url));
  return [...new Set(matching.map((r) => r.method))].sort();
}

/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), but only in valid UTF-8: its
 * parser decodes a bad byte as U+FFFD, so text other than what was sent would be recorded.
 */
function acceptOnlyUtf8Json(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(validationError({ '(body)': 'Send the body as UTF-8.' }, 'The body is not valid UTF-8.'), undefined);
      return;
    }
    parseJson(request, bytes.toString('utf8'), done);
  });
}

/** Every open socket, so shutdown can drop those Node's own idle-closing does not see. */
function trackConnections(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/**
 * Stops taking requests and waits for those in progress, but not for ever: a client that never
 * finishes sending (or a socket a parser error left half-open) would otherwise keep the server,
 * and so the whole process, from stopping.
 */
async function closeWithin(app: FastifyInstance, sockets: Set<Socket>, graceMs: number): Promise<void> {
  // Node closes idle keep-alive connections once, when closing starts; one that was answering a
  // request then becomes idle later and is closed on the next tick of this timer.
  const idle = setInterval(() => app.server.closeIdleConnections(), 100);
  const drop = setTimeout(() => {
    app.log.warn({ connections: sockets.size }, 'Dropping connections still open after the shutdown grace period');
    for (const socket of sockets) socket.destroy();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(drop);
  }
}
const TAB_DIST = path.join(appRoot(), 'tab', 'dist');

/**
 * Vite names every file under assets/ by a hash of its content, so it never changes and may be
 * kept for a year; index.html names the current ones and must be checked on every load.
 */
export function tabCacheControl(filePath: string): string {
  return /(^|[\\/])assets[\\/]/.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}
const PUBLIC_PATHS = ['/api/health', '/api/health/ready', '/api/host', '/api/openapi.json', '/api/dev/', '/api/messages'];

export async function buildServer(config: ServerConfig, options: BuildOptions = {}): Promise<BuiltServer> {
  const answerHeaders = securityHeaders({ local: config.localSignIn });
  const app = Fastify({
    // Every line written while a request is handled carries its id, also lines from the bot and
    // the use cases that log through app.log.
    logger: loggerOptions(config.logLevel, options.logStream, () => {
      const requestId = requestContext.getStore();
      return requestId ? { requestId } : {};
    }),
    // The id is made, and taken as the context of what follows, before Fastify logs "incoming
    // request" (an onRequest hook comes after it, and that line took the previous request's id).
    genReqId: () => {
      const id = randomUUID();
      requestContext.enterWith(id);
      return id;
    },
    bodyLimit: 1024 * 1024,
    // App Service's front end is the one proxy before the app and appends the address it saw to
    // X-Forwarded-For: trusting every hop let a client name its own address and escape the per-address limit.
    trustProxy: config.production ? (_address: string, hop: number) => hop < 1 : false,
    // Errors Node's HTTP parser finds before Fastify sees a request (431 headers too large, 400 bad
    // request line) are answered in the API's error shape too.
    clientErrorHandler: answerClientErrors(answerHeaders),
    // A path Fastify cannot decode (bad percent-encoding, invalid UTF-8) is the client's error too.
    // Fastify answers these before any hook runs, so the headers every answer carries are set here.
    frameworkErrors: (_error, request, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .headers({ ...answerHeaders, 'x-request-id': request.id, 'cache-control': 'no-store' })
        .send(errorBody('validation', 'The address is not well-formed.', { '(path)': 'Check the address: a part of it is not properly encoded, or too long.' }));
    },
  });
  app.setErrorHandler(handleError);
  acceptOnlyUtf8Json(app);
  const connections = trackConnections(app.server);
  const store = (await options.store) ?? (await createStore({ dataDir: config.dataDir, poolSize: config.databasePoolSize, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), onPoolError: (error) => app.log.warn({ err: error }, 'PostgreSQL dropped an idle pooled connection') }));
  const directory = cachedDirectory(store.read.directory);
  // One sign-in to Microsoft Graph (one MSAL client and token cache) per app registration, shared
  // by evidence, the directory sync and the app installer.
  const signIn = graphSignIn();
  const configured = createEvidenceStore(config.evidence, { pendingQueue: createPendingEvidenceQueue(store.db), signIn });
  const evidence = options.evidence ?? configured;
  if (config.evidence.kind === 'local') {
    const unfinished = await removeUnfinishedEvidence(config.evidence.dir);
    if (unfinished > 0) app.log.warn({ files: unfinished }, 'Removed evidence files an upload was writing when the server stopped');
  }
  const deps: AppDeps = {
    store,
    directory,
    evidence,
    clock: options.clock ?? systemClock,
    settings: { workflow: { authorisationValidDays: config.authorisationValidDays }, protocol: config.protocol, pilotPlatforms: config.pilotPlatforms, maxEvidenceBytes: config.maxEvidenceBytes, reminders: config.reminders, retention: config.retention },
  };
  const localTokens = config.localSignIn ? createLocalTokens(await loadLocalSigningKey(config.dataDir)) : undefined;
  if (config.localSignIn) await seedPeople(store, DEMO_PEOPLE);
  const teamsSso = options.teamsSso ?? (config.teamsSso ? createTeamsSsoVerifier(config.teamsSso) : undefined);
  const authenticate = createAuthenticator({ directory, ...(localTokens ? { local: localTokens } : {}), ...(teamsSso ? { teamsSso } : {}) });

  const routes: RouteSummary[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  const headers = answerHeaders;
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-request-id', request.id);
    // Routes serving stored content set their own, stricter policy.
    for (const [name, value] of Object.entries(headers)) if (!reply.hasHeader(name)) void reply.header(name, value);
    // API answers carry personal data, and so does the chat preview's feed of cards: no browser or proxy may keep them.
    if ((request.url.startsWith('/api/') || request.url.startsWith('/preview/')) && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });
  await registerRateLimits(app, config.rateLimit);
  await app.register(multipart, { limits: { files: 1, fields: 1, parts: 2, headerPairs: 20, fieldSize: 64 * 1024, fileSize: config.maxEvidenceBytes + 1 } });

  app.addHook('preHandler', async (request) => {
    const url = request.url.split('?')[0] ?? '';
    if (!url.startsWith('/api/') || PUBLIC_PATHS.some((p) => url === p || (p.endsWith('/') && url.startsWith(p)))) return;
    // A one-time content link is its own authority; the route redeems it.
    if (contentTicket(request) !== undefined) return;
    const person = await authenticate(request.headers.authorization);
    request.caller = { person: await withStandingIn(store.read, person, deps.clock.now()), requestId: request.id };
  });
  app.addHook('preHandler', personRateLimit(app, config.rateLimit.perPersonPerMinute));
  const caller = (request: FastifyRequest): Caller => {
    if (!request.caller) throw new AppError('unauthenticated', 'Sign in first.');
    return request.caller;
  };

  const api = apiRoutes(app, { checkResponses: options.checkResponses ?? false });
  registerLegalPages(app);
  // What the tab needs before anyone signs in: local sign-in, or the Teams deep link to open instead.
  api.add(hostRoutes.host, async () => ({ localSignIn: config.localSignIn, teamsTabLink: config.teamsAppId ? teamsTabLink(config.teamsAppId) : null }));
  api.add(hostRoutes.openApi, async () => openApiDocument(API_ROUTES));
  registerPeopleRoutes(api, { deps, caller });
  if (localTokens) await registerDevRoutes(api, directory, localTokens);

  let graphDirectory: GraphJsonClient | undefined;
  let directorySource: DirectorySource = demoDirectorySource();
  if (config.directory) {
    graphDirectory = createGraphJsonClient({
      ...(config.directory.graphBaseUrl ? { baseUrl: config.directory.graphBaseUrl } : {}),
      token: signIn(config.directory.credentials),
      policy: options.directoryRetry ?? { maxAttempts: 5, baseDelayMs: 2000, maxDelayMs: 120_000 },
      ...(config.directory.credentials.caCertificate ? { caCertificate: config.directory.credentials.caCertificate } : {}),
    });
    directorySource = graphDirectorySource(graphDirectory, config.directory.groups);
  } else if (!config.localSignIn) {
    app.log.warn('No ROLE_GROUP_* or BOOTSTRAP_ADMINISTRATORS configured: in Teams mode nobody will have a role (docs/tenant-setup.md).');
  }
  const bootstrapAdministrators = config.directory?.bootstrapAdministrators ?? [];
  await registerAdminRoutes(api, { deps, caller, source: directorySource, bootstrapAdministrators, directoryChanged: () => directory.invalidate() });
  await registerRequestRoutes(api, { deps, caller, tmpDir: await makeTmpDir(config.dataDir), uploads: createUploadSlots(config.uploads), uploadIdleMs: config.uploads.idleSeconds * 1000 });
  await registerEvaluationRoutes(api, { deps, caller });
  await registerRetentionRoutes(api, { deps, caller });

  // botbuilder and the card templates take a second or more to load: the bot is loaded when first
  // needed (an activity, the chat preview, a notification to deliver), not before the server answers.
  let botLoading: Promise<TeamsBot> | undefined;
  const loadBot = (): Promise<TeamsBot> =>
    (botLoading ??= import('../../bot').then(({ createTeamsBot }) =>
      createTeamsBot({
        deps,
        conversations: createConversationStore(store.db),
        tabUrl: config.publicUrl,
        ...(config.teamsAppId ? { teamsAppId: config.teamsAppId } : {}),
        allowUnauthenticatedLoopback: config.localSignIn,
        ...config.bot,
        ...(config.teamsSso ? { allowedTenantIds: [...config.teamsSso.allowedTenantIds, ...(config.bot.tenantId ? [config.bot.tenantId] : [])] } : {}),
        installer: config.appInstall
          ? createGraphAppInstaller({
              catalogAppId: config.appInstall.catalogAppId,
              ...(config.appInstall.graphBaseUrl ? { graphBaseUrl: config.appInstall.graphBaseUrl } : {}),
              token: signIn(config.appInstall.credentials),
            })
          : null,
        onError: (error) => app.log.error({ err: error }, 'bot'),
      }),
    ));
  // The socket's address, never a forwarded header: loopback-only local mode depends on it.
  api.add(hostRoutes.botMessages, async (request, reply) => {
    const bot = await loadBot();
    // The sender, once the bot has accepted the Bot Connector's token, spends the budget of their API calls.
    const limitPerson = (personId: string) => app.limitPerson(request, personId);
    const result = await bot.handleActivity({ headers: request.headers, body: request.body, remoteAddress: request.socket.remoteAddress ?? '', limitPerson });
    return reply.status(result.status).headers(result.headers ?? {}).send(result.body ?? '');
  });
  // The bot has its chat preview exactly when it runs unauthenticated in local mode (bot/index.ts).
  if (config.localSignIn && !config.bot.appId) {
    app.get('/preview', async (_request, reply) => reply.redirect('/preview/'));
    app.all('/preview/*', async (request, reply) => {
      const { preview } = await loadBot();
      if (!preview) throw new Error('The bot has no chat preview in this configuration.');
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
    sender: routeByKind(
      { record_documents: filing, grant_folder_readers: folderReadersSender(deps, configured) },
      { deliver: async (message, signal) => (await loadBot()).sender.deliver(message, signal) },
    ),
    clock: deps.clock,
    concurrency: config.outboxConcurrency,
    onError: (error, message) => {
      // Someone without the app installed is expected and shown in the tab; log it without a stack.
      // Its reason names the person (shown to those who may see the request), so the log has the id only.
      if (error instanceof PermanentDeliveryError) app.log.info({ outboxId: message?.id }, 'notification not deliverable');
      else app.log.warn({ err: error, outboxId: message?.id }, 'notification delivery failed; will retry');
    },
  });
  if (options.dispatch ?? true) dispatcher.start();

  const signer = await loadCheckpointSigner(config.audit);
  if (!signer) app.log.warn('Audit checkpoints are not signed or published: set AUDIT_SIGNING_KEY (docs/audit.md).');
  const checkpoints = await createCheckpointStore(config.audit);
  const sequencer = createAuditSequencer(store.background, { signer, onError: (error) => app.log.error({ err: error }, 'audit sequencer') });
  // Entries a crash left unlinked are linked now, before anything new is written.
  if (options.sequence ?? true) sequencer.start();
  // Requests whose evaluation rows a crash left unprojected are projected now, and then as they are decided.
  const projector = createEvaluationProjector(store.background, { onError: (error) => app.log.error({ err: error }, 'evaluation projector') });
  projector.start();
  const anchor = async (): Promise<SignedCheckpoint | null> => (signer ? anchorCheckpoint(store.background, signer, checkpoints) : null);
  let anchorTimer: NodeJS.Timeout | undefined;
  if (signer && options.anchorIntervalMs) {
    const anchorDue = () => {
      anchorIfDue(store.background, signer, checkpoints)
        .then((published) => {
          if (published) app.log.info({ treeSize: published.treeSize }, `audit checkpoint published to ${checkpoints.where}`);
        })
        .catch((error: unknown) => app.log.error({ err: error }, 'publishing the audit checkpoint failed; will retry'));
    };
    anchorDue();
    anchorTimer = setInterval(anchorDue, options.anchorIntervalMs);
    anchorTimer.unref();
  }
  await registerOperationsRoutes(api, {
    operations: createOperations(store.db),
    evidence: configured,
    clock: deps.clock,
    caller,
    onNotificationRetried: () => dispatcher.nudge(),
    onUploadReleased: () => {
      configured
        .retryPendingUploads((pendingKey, stored) => recordPendingUploadStored(deps, pendingKey, stored))
        .then((outcomes) => {
          if (outcomes.length > 0) dispatcher.nudge();
        })
        .catch((error: unknown) => app.log.error({ err: error }, 'retrying a released upload failed; the sweep tries again'));
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    // Cards go out as soon as a change commits, rather than at the next poll.
    if (request.method !== 'GET' && reply.statusCode < 400 && (request.url.startsWith('/api/requests/') || request.url.startsWith('/api/admin/'))) dispatcher.nudge();
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
    const allowed = methodsAt(routes, url);
    if (allowed.length > 0) {
      return reply.status(405).header('allow', allowed.join(', ')).send(errorBody('method_not_allowed', `${url} does not take ${request.method}: it takes ${allowed.join(', ')}.`));
    }
    return reply.status(404).send(errorBody('not_found', `Nothing at ${request.method} ${url}.`));
  });

  let directorySchedule: DirectorySyncSchedule | undefined;
  if (config.directory && (options.scheduleDirectorySync ?? true)) {
    const source = directorySource;
    directorySchedule = scheduleDirectorySync((trigger) => syncDirectory(deps, source, { trigger, requestedBy: null, bootstrapAdministrators }), {
      intervalMs: config.directory.intervalMs,
      firstRetryMs: 60_000,
      onRun: (run) => {
        directory.invalidate();
        if (run.status === 'failed') app.log.warn({ error: run.error }, 'directory sync failed; nobody changed; will retry');
        else app.log.info({ added: run.added, changed: run.changed, removed: run.removed, problems: run.problems.length }, 'directory synced');
        if (run.flaggedRequests > 0) dispatcher.nudge();
      },
      onError: (error) => app.log.error({ err: error }, 'directory sync failed'),
    });
  }

  let sweep: NodeJS.Timeout | undefined;
  if (options.sweepIntervalMs) {
    sweep = setInterval(() => {
      expireDueRequests(deps)
        .then(() => configured.retryPendingUploads((pendingKey, stored) => recordPendingUploadStored(deps, pendingKey, stored)))
        .then(() => sendDueReminders(deps, config.reminders))
        .then(async (written) => written + (await escalateWaitingDecisions(deps, config.reminders)))
        .then(async (written) => written + (await sendDeputyCards(deps)))
        .then(async (written) => written + (await askSurveysByBot(deps)))
        .then((written) => {
          if (written > 0) dispatcher.nudge();
        })
        .then(() => removeAllDisposedFiles(deps))
        .catch((error: unknown) => app.log.error({ err: error }, 'expiry and reminder sweep failed'));
    }, options.sweepIntervalMs);
    sweep.unref();
  }
  // Counts of repeated refusals are written once their minute is over, not only on the next refusal.
  const refusalCounts = setInterval(() => {
    flushRefusalCounts(deps).catch((error: unknown) => app.log.warn({ err: error }, 'writing refusal counts failed; will retry'));
  }, REFUSAL_FLUSH_EVERY_MS);
  refusalCounts.unref();

  return {
    app,
    deps,
    store,
    dispatcher,
    sequencer,
    anchor,
    routes,
    loadBot: async () => {
      await loadBot();
    },
    async close() {
      if (sweep) clearInterval(sweep);
      if (anchorTimer) clearInterval(anchorTimer);
      clearInterval(refusalCounts);
      directorySchedule?.stop();
      graphDirectory?.close();
      // Together, not one after the other: each has its own bound, and their sum was 19 s.
      await Promise.all([dispatcher.stop(), closeWithin(app, connections, options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS)]);
      // After the last request: the counts of refusals still being counted are written.
      await flushRefusalCounts(deps, { all: true }).catch((error: unknown) => app.log.warn({ err: error }, 'writing refusal counts at shutdown failed'));
      // After the last request: whatever committed is linked before the database closes.
      await sequencer.stop();
      await projector.stop();
      checkpoints.close();
      configured.close();
      await store.close();
    },
  };
}
