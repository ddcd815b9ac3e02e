/**
 * A small in-process stand-in for the Bot Connector, used only in local mode so the chat
 * preview can show what the bot sends. It answers the two calls the bot makes —
 * POST /v3/conversations/{id}/activities[/{replyToId}] and PUT /v3/conversations/{id}/activities/{activityId} —
 * and, for the preview only, GET /v3/conversations/{id}/activities?after=N: what changed since N.
 */
export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Stored {
  id: string;
  /** Bumped on every post or update, so the preview fetches only what changed. */
  seq: number;
  activity: Record<string, unknown>;
}

const MAX_PER_CONVERSATION = 300;

export class LocalConnector {
  private readonly conversations = new Map<string, Stored[]>();
  private seq = 0;

  handle(method: string, path: string, query: URLSearchParams, body: unknown): HttpReply {
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/.exec(path);
    if (!match?.[1]) return { status: 404, body: { error: { code: 'NotFound', message: 'Unknown Bot Connector path.' } } };
    const conversationId = decodeURIComponent(match[1]);
    const activityId = match[2] ? decodeURIComponent(match[2]) : null;
    const list = this.conversations.get(conversationId) ?? [];

    if (method === 'GET' && !activityId) {
      const after = Number(query.get('after') ?? '0') || 0;
      return { status: 200, body: { cursor: this.seq, activities: list.filter((s) => s.seq > after).map((s) => s.activity) } };
    }
    if (typeof body !== 'object' || body === null) return { status: 400, body: { error: { code: 'BadArgument', message: 'Send an activity.' } } };
    const activity = body as Record<string, unknown>;

    if (method === 'POST') {
      this.seq += 1;
      const id = `local-${this.seq}`;
      list.push({ id, seq: this.seq, activity: { ...activity, id, conversation: { id: conversationId }, timestamp: new Date().toISOString(), ...(activityId ? { replyToId: activityId } : {}) } });
      if (list.length > MAX_PER_CONVERSATION) list.splice(0, list.length - MAX_PER_CONVERSATION);
      this.conversations.set(conversationId, list);
      return { status: 200, body: { id } };
    }
    if (method === 'PUT' && activityId) {
      const stored = list.find((s) => s.id === activityId);
      if (!stored) return { status: 404, body: { error: { code: 'ActivityNotFound', message: 'No such activity.' } } };
      this.seq += 1;
      stored.seq = this.seq;
      stored.activity = { ...activity, id: activityId, conversation: { id: conversationId }, timestamp: stored.activity.timestamp, updated: new Date().toISOString() };
      return { status: 200, body: { id: activityId } };
    }
    return { status: 405, body: { error: { code: 'MethodNotAllowed', message: `${method} is not supported here.` } } };
  }
}
