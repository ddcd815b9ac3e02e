/**
 * The Teams bot, framework-neutral for the server: `handleActivity` takes what arrived at
 * POST /api/messages and returns the status and body to answer; `sender` delivers outbox
 * messages for the dispatcher; `preview` (local mode only) serves the Teams chat preview and
 * its in-process Bot Connector stand-in under /preview. botbuilder stays inside this folder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, type AuthenticateRequestResult, type BotFrameworkAuthentication } from 'botframework-connector';
import type { AppDeps } from '../src/app/deps';
import type { AppInstaller, ConversationStore, NotificationSender } from '../src/notify/ports';
import { isSafeText } from '../src/domain/forms';
import { BotCredentialsFactory, createBotFrameworkAuthentication, isLoopbackUrl, isTokenRefusal, LocalBotFrameworkAuthentication, type BotAppType } from './auth';
import { CardService } from './card-service';
import { teamsTabLink } from './tab-link';
import { LocalConnector, type HttpReply } from './local-connector';
import { BotNotificationSender } from './sender';
import { SmcTeamsBot } from './teams-bot';

export interface CreateTeamsBotOptions {
  deps: AppDeps;
  /** Where each person's conversation and the cards posted are kept (src/store). */
  conversations: ConversationStore;
  /** How the Azure Bot was created: a single-tenant app registration or a user-assigned managed identity. */
  appType?: BotAppType;
  /** The Microsoft app id of the Azure Bot; without it the bot runs unauthenticated, loopback only. */
  appId?: string;
  /** SingleTenant: the app registration's client secret. */
  appPassword?: string;
  /** The tenant of the bot's identity; outbound tokens come from it. */
  tenantId?: string;
  /**
   * The tenants whose Teams may talk to the bot (TEAMS_ALLOWED_TENANT_IDS); the bot's own tenant
   * when not given. With an app id, an activity from any other tenant is refused.
   */
  allowedTenantIds?: readonly string[];
  openIdMetadataUrl?: string;
  /** Entra ID's host (tests: a local stand-in); defaults to https://login.microsoftonline.com. */
  authorityHost?: string;
  /** Where the tab is served; without teamsAppId cards link to `${tabUrl}/requests/{id}`. */
  tabUrl: string;
  /** The Teams app's id (manifest "id"): cards then link to the personal tab by Teams deep links. */
  teamsAppId?: string;
  /** Local mode: accept unauthenticated activities from loopback when there is no app id. */
  allowUnauthenticatedLoopback: boolean;
  /** Installs the app, through Graph (src/graph), for people who have not installed it. */
  installer?: AppInstaller | null;
  onError?: (error: unknown) => void;
}

export interface ActivityInput {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  remoteAddress: string;
  /**
   * Counts the activity against its sender's per-person limit, called once the sender is
   * authenticated (the Bot Connector's token accepted) and known to the directory; resolves to a
   * refusal when that person is over the limit.
   */
  limitPerson?: (personId: string) => Promise<RateLimitRefusal | null>;
}

export interface RateLimitRefusal {
  message: string;
  retryAfterSeconds: number;
}

export interface ActivityAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface PreviewInput {
  method: string;
  /** The path below /preview, starting with "/" ("/" for the page itself). */
  path: string;
  query: URLSearchParams;
  body: unknown;
  remoteAddress: string;
}

export interface TeamsBot {
  handleActivity(input: ActivityInput): Promise<ActivityAnswer>;
  sender: NotificationSender;
  conversations: ConversationStore;
  /** Present only in local mode. */
  preview: { handle(input: PreviewInput): Promise<HttpReply> } | null;
}

/** Exposes CloudAdapter's turn processing with an authentication result decided by us. */
class SmcCloudAdapter extends CloudAdapter {
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function header(headers: ActivityInput['headers'], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function error(status: number, code: string, message: string): { status: number; body: unknown } {
  return { status, body: { error: { code, message } } };
}

/**
 * A person over their limit. A card action gets the invoke response Universal Actions define for
 * an error; the Adaptive Cards "Universal Action Model" (Response format) says: "If the Bot did
 * process an incoming `adaptiveCard/action` Invoke activity (i.e. if the Bot's code was involved at
 * all in processing the request), the HTTP response's status code returned by the Bot must be equal
 * to 200", with `statusCode` "a number ranging from 200-599 that mirrors HTTP status code values
 * and is meant to be a sub-status for the result of the bot processing the Invoke", and a 4xx/5xx
 * answered as type `application/vnd.microsoft.error` with an Error Object. Anything else gets 429
 * in the API's error shape. Both carry Retry-After.
 */
function rateLimited(activity: Activity, refusal: RateLimitRefusal): ActivityAnswer {
  const headers = { 'retry-after': String(refusal.retryAfterSeconds) };
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    return { status: 200, headers, body: { statusCode: 429, type: 'application/vnd.microsoft.error', value: { code: 'rate_limited', message: refusal.message } } };
  }
  return { ...error(429, 'rate_limited', refusal.message), headers };
}

/** Absent, or text: what the Bot Framework schema has for these fields (a channel may send null). */
const textOrAbsent = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';

/**
 * The minimum every activity from Teams carries, and the fields the bot reads as text holding
 * text; anything else is refused before it reaches botbuilder, which would fail on it (a 500).
 */
function asActivity(body: unknown): Activity | null {
  if (typeof body !== 'object' || body === null) return null;
  const a = body as Partial<Activity>;
  const ok =
    typeof a.type === 'string' &&
    typeof a.channelId === 'string' &&
    typeof a.serviceUrl === 'string' &&
    /^https?:\/\//.test(a.serviceUrl) &&
    typeof a.conversation?.id === 'string' &&
    typeof a.from?.id === 'string' &&
    typeof a.recipient?.id === 'string' &&
    [a.id, a.name, a.text, a.replyToId, a.locale, a.from.aadObjectId, a.from.name, a.conversation.conversationType, a.conversation.tenantId, a.recipient.name].every(textOrAbsent) &&
    // What the bot stores (ids, the tenant, where to reply) is held to the character rule as the API's text is: a NUL reached the database as a 500.
    [a.channelId, a.serviceUrl, a.conversation.id, a.from.id, a.recipient.id, a.from.aadObjectId, a.conversation.tenantId].every((v) => typeof v !== 'string' || isSafeText(v)) &&
    (a.conversation.isGroup === undefined || a.conversation.isGroup === null || typeof a.conversation.isGroup === 'boolean') &&
    (a.channelData === undefined || a.channelData === null || (typeof a.channelData === 'object' && !Array.isArray(a.channelData))) &&
    // botbuilder's Teams handler reads channelData.eventType of these without checking it is there; Teams always sends it.
    (!['messageUpdate', 'messageDelete'].includes(a.type) || (typeof a.channelData === 'object' && a.channelData !== null));
  return ok ? (a as Activity) : null;
}

/** The claims of a Bot Connector token read before botbuilder checks it. */
interface TokenClaims {
  iss?: unknown;
  exp?: unknown;
}

/**
 * What a Teams activity must be before botbuilder checks its token's signature, which botbuilder
 * alone does not ensure:
 * - the token is the Bot Connector's: "The token contains an "issuer" claim with value of
 *   https://api.botframework.com" (Authentication with the Bot Connector API, step 4). botbuilder
 *   sends tokens of other issuers down its Emulator path, which checks neither `serviceurl` nor
 *   endorsements, and grows its list of issuers by each token's `tid`, unauthenticated;
 * - it expires: "The token has not yet expired" (a token without `exp` is never checked for it);
 * - the channel is Teams: in other channels the sender's identity is whatever the client says
 *   ("in Web Chat, the attacker can impersonate someone else by changing the user ID"), and this
 *   bot acts on `from.aadObjectId`;
 * - the tenant is one allowed: Teams names it in `conversation.tenantId` and `channelData.tenant.id`.
 * Returns why the activity is refused, or null.
 */
function teamsRefusal(activity: Activity, token: string, allowedTenants: ReadonlySet<string>): string | null {
  let claims: TokenClaims | null;
  try {
    claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as TokenClaims | null;
  } catch {
    return 'The token is not a JSON Web Token.';
  }
  if (claims?.iss !== AuthenticationConstants.ToBotFromChannelTokenIssuer) return 'The token was not issued by the Bot Connector.';
  if (typeof claims.exp !== 'number') return 'The token has no expiry.';
  if (activity.channelId !== 'msteams') return 'This bot takes activities from Microsoft Teams only.';
  const channelTenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const tenants = [activity.conversation.tenantId, channelTenant];
  if (tenants.some((t) => t !== undefined && t !== null && typeof t !== 'string')) return 'The activity’s tenant is not text.';
  const named = tenants.filter((t): t is string => typeof t === 'string');
  if (named.length === 0 || !named.every((t) => allowedTenants.has(t.toLowerCase()))) return 'The activity does not come from a tenant this bot serves.';
  return null;
}

function authenticationFor(options: CreateTeamsBotOptions): BotFrameworkAuthentication | null {
  if (!options.appId) return null;
  const appType = options.appType ?? 'SingleTenant';
  if (appType === 'SingleTenant' && !options.tenantId) throw new Error('A single-tenant bot needs BOT_TENANT_ID.');
  const identity = {
    appType,
    appId: options.appId,
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    ...(options.appPassword ? { appPassword: options.appPassword } : {}),
    ...(options.authorityHost ? { authorityHost: options.authorityHost } : {}),
    ...(options.openIdMetadataUrl ? { openIdMetadataUrl: options.openIdMetadataUrl } : {}),
  };
  return createBotFrameworkAuthentication(identity, new BotCredentialsFactory(identity));
}

export function createTeamsBot(options: CreateTeamsBotOptions): TeamsBot {
  const appId = options.appId || null;
  const authenticated = authenticationFor(options);
  const local = new LocalBotFrameworkAuthentication();
  const adapter = new SmcCloudAdapter(authenticated ?? local);
  const onError = options.onError ?? (() => undefined);
  adapter.onTurnError = async (_context, turnError) => {
    onError(turnError);
    throw turnError;
  };

  const conversations = options.conversations;
  const tabUrl = options.teamsAppId ? teamsTabLink(options.teamsAppId) : options.tabUrl;
  const cards = new CardService({ deps: options.deps, conversations, tabUrl });
  const bot = new SmcTeamsBot({
    deps: options.deps,
    conversations,
    cards,
    tabUrl,
    onCardPosted: async ({ requestId, person, context, activityId, kind }) => {
      await conversations.recordCard(
        { requestId, personId: person.id, conversationId: context.activity.conversation.id, serviceUrl: context.activity.serviceUrl, activityId, outboxMessageId: null, kind },
        options.deps.clock.now(),
      );
      await conversations.settleOwedCards(requestId, person.id, options.deps.clock.now());
    },
  });
  const sender = new BotNotificationSender({ deps: options.deps, adapter, appId, conversations, cards, installer: options.installer ?? null });
  const localMode = !authenticated && options.allowUnauthenticatedLoopback;
  const allowedTenants = new Set((options.allowedTenantIds ?? (options.tenantId ? [options.tenantId] : [])).map((t) => t.toLowerCase()));

  /** Counts the activity against its sender, found by Entra object id; senders the directory does not know count by address only. */
  async function overLimit(activity: Activity, limitPerson: ActivityInput['limitPerson']): Promise<RateLimitRefusal | null> {
    const aad = activity.from.aadObjectId;
    if (!limitPerson || !aad) return null;
    const person = await options.deps.directory.byAadObjectId(aad);
    return person ? limitPerson(person.id) : null;
  }

  async function handleActivity(input: ActivityInput): Promise<ActivityAnswer> {
    const activity = asActivity(input.body);
    if (!activity) return error(400, 'validation', 'The body is not a Bot Framework activity.');
    let auth: AuthenticateRequestResult;
    if (authenticated) {
      const authorization = header(input.headers, 'authorization') ?? '';
      const bearer = /^Bearer (\S+)$/.exec(authorization)?.[1];
      // No token: 401. A token that fails a check: 403, as the Bot Connector's documentation says ("HTTP 403 (Forbidden)").
      if (!bearer) return error(401, 'unauthenticated', 'This bot accepts activities only from the Bot Connector, with its token.');
      const refused = teamsRefusal(activity, bearer, allowedTenants);
      if (refused) return error(403, 'forbidden', `The activity was refused: ${refused}`);
      try {
        auth = await authenticated.authenticateRequest(activity, authorization);
      } catch (failure) {
        if (isTokenRefusal(failure)) return error(403, 'forbidden', `The Bot Connector token was not accepted: ${failure instanceof Error ? failure.message : 'unknown reason'}`);
        onError(failure);
        return error(503, 'unavailable', 'The Bot Connector token could not be checked: the signing keys are unavailable.');
      }
    } else if (localMode && LOOPBACK_ADDRESSES.has(input.remoteAddress) && isLoopbackUrl(activity.serviceUrl)) {
      auth = local.anonymousResult();
    } else {
      return error(401, 'unauthenticated', 'This bot accepts activities only from the Bot Connector.');
    }
    try {
      // Only now, with the sender vouched for: nobody can spend another person's budget by naming them.
      const refusal = await overLimit(activity, input.limitPerson);
      if (refusal) return rateLimited(activity, refusal);
      const response = await adapter.run(auth, activity, (context) => bot.run(context));
      if (!response) return { status: 200 };
      // botbuilder answers an invoke it has no handler for with a bare 501.
      if (response.status >= 400 && response.body === undefined) return error(response.status, 'not_implemented', `This bot does not handle “${activity.name ?? activity.type}”.`);
      return { status: response.status, body: response.body };
    } catch (failure) {
      onError(failure);
      // The reply could not be sent: the Bot Connector refused it or could not be reached.
      if (failure instanceof Error && failure.name === 'RestError') return error(503, 'unavailable', 'The Bot Connector did not take the bot’s reply: try again.');
      return error(500, 'internal', 'The bot could not handle this activity.');
    }
  }

  return { handleActivity, sender, conversations, preview: localMode ? createPreview() : null };
}

const PREVIEW_DIR = path.join(__dirname, 'preview');
const PREVIEW_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: path.join(PREVIEW_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/preview.js': { file: path.join(PREVIEW_DIR, 'preview.js'), type: 'text/javascript; charset=utf-8' },
  '/preview.css': { file: path.join(PREVIEW_DIR, 'preview.css'), type: 'text/css; charset=utf-8' },
  '/adaptivecards.js': { file: require.resolve('adaptivecards/dist/adaptivecards.min.js'), type: 'text/javascript; charset=utf-8' },
};

function createPreview(): { handle(input: PreviewInput): Promise<HttpReply> } {
  const connector = new LocalConnector();
  return {
    async handle(input) {
      if (!LOOPBACK_ADDRESSES.has(input.remoteAddress)) return { status: 403, body: { error: { code: 'forbidden', message: 'The chat preview is for this machine only.' } } };
      if (input.path.startsWith('/connector/')) return connector.handle(input.method, input.path.slice('/connector'.length), input.query, input.body);
      const asset = input.method === 'GET' ? PREVIEW_FILES[input.path === '' ? '/' : input.path] : undefined;
      if (!asset) return { status: 404, body: { error: { code: 'not_found', message: 'Nothing here.' } } };
      return { status: 200, headers: { 'content-type': asset.type }, body: await readFile(asset.file, 'utf8') };
    },
  };
}
export { teamsTabLink } from './tab-link';
