/**
 * The bot over real HTTP: /api/messages served by createTeamsBot on a free port, a local HTTP
 * server standing in for the Bot Connector (recording POST and PUT of activities as Teams'
 * connector receives them), the real store, and the outbox dispatcher.
 */
import { DEFAULT_PROTOCOL_SETTINGS } from '../../../src/domain/protocol';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamsBot, type CreateTeamsBotOptions, type TeamsBot } from '../../../bot';
import { z } from 'zod';
import { botMessagesAnswerSchema } from '../../../src/contracts/host';
import { systemClock, type AppDeps } from '../../../src/app/deps';
import type { Caller, Clock } from '../../../src/app/ports';
import { createRequest } from '../../../src/app/requests/create-request';
import { takeAction } from '../../../src/app/requests/take-action';
import { LocalDiskEvidenceStore } from '../../../src/evidence/local-disk';
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import type { Person } from '../../../src/domain/roles';
import { createDispatcher, type Dispatcher } from '../../../src/notify/dispatcher';
import { createConversationStore, type SqlStore } from '../../../src/store';
import { HOSTILE } from '../../support/bot-fixtures';
import { withSupervisionNote } from '../../support/action-body';

export interface ConnectorCall {
  method: 'POST' | 'PUT';
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
  authorization: string | undefined;
}

export interface ConnectorStandIn {
  url: string;
  calls: ConnectorCall[];
  /** Conversations whose calls are answered 502, as a connector outage would be. */
  failing: Set<string>;
  /** Milliseconds each call waits before it is answered, as a slow connector would. */
  delayMs: number;
  /** The most calls that were being answered at one time. */
  readonly mostAtOnce: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : null;
}

export async function startConnector(): Promise<ConnectorStandIn> {
  const calls: ConnectorCall[] = [];
  const failing = new Set<string>();
  let next = 0;
  let atOnce = 0;
  let mostAtOnce = 0;
  const state = { delayMs: 0 };
  const server: Server = createServer((req, res) => {
    void (async () => {
      atOnce += 1;
      mostAtOnce = Math.max(mostAtOnce, atOnce);
      res.on('finish', () => {
        atOnce -= 1;
      });
      const body = (await readJson(req)) as Record<string, unknown>;
      if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      const conversationId = decodeURIComponent(match?.[1] ?? '');
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        res.statusCode = 404;
        res.end('{}');
        return;
      }
      if (failing.has(conversationId)) {
        res.statusCode = 502;
        res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'Bad gateway' } }));
        return;
      }
      const activityId = req.method === 'PUT' ? decodeURIComponent(match[2] ?? '') : `act-${(next += 1)}`;
      calls.push({ method: req.method, conversationId, activityId, activity: body, authorization: req.headers.authorization });
      res.end(JSON.stringify({ id: activityId }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls,
    failing,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface BotHarness {
  url: string;
  bot: TeamsBot;
  deps: AppDeps;
  connector: ConnectorStandIn;
  dispatcher: Dispatcher;
  people: Record<'osw' | 'tm' | 'sd' | 'sm' | 'aaw1' | 'aaw2', Person>;
  post(activity: object, headers?: Record<string, string>): Promise<{ status: number; body: InvokeReply }>;
  activityFrom(person: Person, type: string, extra?: object): Record<string, unknown>;
  install(person: Person): Promise<void>;
  invoke(person: Person, verb: string, data: Record<string, unknown>): Promise<InvokeReply>;
  submittedRequest(): Promise<{ id: string; version: number }>;
  /** The latest card posted or updated in a person's chat about a request. */
  latestCard(person: Person, requestId: string): CardJson | null;
  close(): Promise<void>;
}

export type CardJson = Record<string, unknown> & { body?: unknown[]; actions?: unknown[] };
export interface InvokeReply {
  statusCode?: number;
  type?: string;
  value?: CardJson;
  error?: { code: string; message: string };
}

const pick = (id: string): Person => {
  const p = DEMO_PEOPLE.find((d) => d.id === id);
  if (!p) throw new Error(`no demo person ${id}`);
  return p;
};

export const conversationOf = (person: Person) => `a:personal-${person.aadObjectId}`;

export async function startBotHarness(store: SqlStore, options: Partial<CreateTeamsBotOptions> & { clock?: Clock; serviceUrl?: (connector: string, bot: string) => string } = {}): Promise<BotHarness> {
  for (const person of DEMO_PEOPLE) await store.people.upsert(person);
  const connector = await startConnector();
  const deps: AppDeps = {
    store,
    directory: store.read.directory,
    evidence: new LocalDiskEvidenceStore(mkdtempSync(join(tmpdir(), 'smc-bot-evidence-'))),
    clock: systemClock,
    settings: { workflow: { authorisationValidDays: 28 }, protocol: DEFAULT_PROTOCOL_SETTINGS, maxEvidenceBytes: 10_000_000 },
  };
  const bot = createTeamsBot({ deps, conversations: createConversationStore(store.db), tabUrl: 'https://smc.example.gov.uk/', allowUnauthenticatedLoopback: true, ...options });
  // Serves what the lead's server serves for the bot: POST /api/messages, and /preview/* in local mode.
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readJson(req);
      const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
      const remoteAddress = req.socket.remoteAddress ?? '';
      if (bot.preview && requestUrl.pathname.startsWith('/preview')) {
        const reply = await bot.preview.handle({ method: req.method ?? 'GET', path: requestUrl.pathname.slice('/preview'.length) || '/', query: requestUrl.searchParams, body, remoteAddress });
        res.writeHead(reply.status, reply.headers ?? { 'content-type': 'application/json' });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null));
        return;
      }
      const reply = await bot.handleActivity({ headers: req.headers, body, remoteAddress });
      // As the server's checkResponses does: a success outside the route's response schema fails the call.
      const checked = reply.status === 200 ? botMessagesAnswerSchema.safeParse(reply.body ?? '') : null;
      if (checked && !checked.success) {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { code: 'internal', message: `POST /api/messages answered outside its response schema: ${z.prettifyError(checked.error)}` } }));
        return;
      }
      res.statusCode = reply.status;
      res.setHeader('content-type', 'application/json');
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${base}/api/messages`;
  const dispatcher = createDispatcher({ queue: store.outboxQueue, sender: bot.sender, clock: options.clock ?? systemClock, maxAttempts: 3, backoff: () => 0 });
  const serviceUrl = options.serviceUrl ? options.serviceUrl(connector.url, base) : connector.url;

  const people = { osw: pick('amelia.hart'), tm: pick('tom.reid'), sd: pick('sarah.mitchell'), sm: pick('grace.lee'), aaw1: pick('imran.malik'), aaw2: pick('jack.turner') };

  const post: BotHarness['post'] = async (activity, headers = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as InvokeReply) : {} };
  };
  let n = 0;
  // Teams names the tenant of every activity; the bot serves its own.
  const tenant = options.tenantId ?? 'tenant-1';
  const activityFrom: BotHarness['activityFrom'] = (person, type, extra = {}) => ({
    type,
    id: `f:${(n += 1)}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:${person.aadObjectId}`, name: person.displayName, aadObjectId: person.aadObjectId },
    conversation: { conversationType: 'personal', tenantId: tenant, id: conversationOf(person) },
    recipient: { id: '28:bot-app-id', name: 'Social Media Checks' },
    channelData: { tenant: { id: tenant } },
    locale: 'en-GB',
    ...extra,
  });
  const caller = (person: Person): Caller => ({ person, requestId: `test-${(n += 1)}` });

  return {
    url,
    bot,
    deps,
    connector,
    dispatcher,
    people,
    post,
    activityFrom,
    async install(person) {
      const { status } = await post(activityFrom(person, 'installationUpdate', { action: 'add' }));
      if (status !== 200) throw new Error(`install answered ${status}`);
    },
    async invoke(person, verb, data) {
      const { status, body } = await post(activityFrom(person, 'invoke', { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }));
      if (status !== 200) throw new Error(`invoke answered ${status}: ${JSON.stringify(body)}`);
      return body;
    },
    async submittedRequest() {
      const draft = await createRequest(deps, caller(people.osw), {
        caseReference: 'CASE-4411',
        children: [{ name: 'Child B', dateOfBirth: '2016-05-04' }],
        concernCategories: ['relationship_with_abusive_adult'],
        concernDetails: `A new partner is said to be living at the home. ${HOSTILE}`,
        justification: `Nothing else can confirm it. ${HOSTILE}`,
        subjects: [{ kind: 'service_user', name: 'Jane Doe', dateOfBirth: '1991-02-03', area: '7 Hidden Road' }],
        period: { from: '2026-06-01', to: '2026-11-01' },
        monitoring: null,
        neededBy: '2026-12-20',
      });
      const submitted = await takeAction(deps, caller(people.osw), draft.id, 'submit', { version: draft.version });
      return { id: submitted.id, version: submitted.version };
    },
    latestCard(person, requestId) {
      const mine = connector.calls.filter((c) => c.conversationId === conversationOf(person));
      for (let i = mine.length - 1; i >= 0; i -= 1) {
        const attachments = (mine[i]?.activity.attachments ?? []) as { content: CardJson }[];
        const card = attachments[0]?.content;
        if (card && JSON.stringify(card).includes(requestId)) return card;
      }
      return null;
    },
    async close() {
      await dispatcher.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.close();
    },
  };
}

/** The data an Action.Execute on this card would send for a verb (the data merged with given inputs). */
export function executeData(card: CardJson | null | undefined, verb: string, inputs: Record<string, unknown> = {}): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.verb === verb) found.push((o.data ?? {}) as Record<string, unknown>);
      Object.values(o).forEach(visit);
    }
  };
  visit(card);
  const data = found[0];
  if (!data) throw new Error(`The card has no ${verb} button: ${JSON.stringify(card).slice(0, 400)}`);
  // The team manager types the supervision note the card asks for before agreeing.
  return { ...data, ...withSupervisionNote(verb, inputs) };
}

export function verbs(card: CardJson | null | undefined): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string' && o.verb !== 'refreshCard') out.push(o.verb);
      Object.values(o).forEach(visit);
    }
  };
  visit(card?.body);
  visit(card?.actions);
  return out;
}
