/**
 * The bot's conversation store in PostgreSQL (the port is in src/notify/ports.ts): the personal
 * conversation of each person (by Entra object id) and the cards posted about each request.
 * Tables are created by src/store/migrations/003_bot.ts.
 */
import { sql, type QueryExecutorProvider } from 'kysely';
import type { CardActivityRecord, ConversationRecord, ConversationStore } from '../../notify/ports';

interface CardRow {
  request_id: string;
  person_id: string;
  conversation_id: string;
  service_url: string;
  activity_id: string;
  outbox_message_id: string | null;
  kind: string;
}

const toCard = (r: CardRow): CardActivityRecord => ({
  requestId: r.request_id,
  personId: r.person_id,
  conversationId: r.conversation_id,
  serviceUrl: r.service_url,
  activityId: r.activity_id,
  outboxMessageId: r.outbox_message_id,
  kind: r.kind,
});

interface ConversationRow {
  aad_object_id: string;
  teams_user_id: string;
  conversation_id: string;
  service_url: string;
  channel_id: string;
  tenant_id: string | null;
  bot_id: string;
  bot_name: string | null;
}

const toConversation = (r: ConversationRow): ConversationRecord => ({
  aadObjectId: r.aad_object_id,
  teamsUserId: r.teams_user_id,
  conversationId: r.conversation_id,
  serviceUrl: r.service_url,
  channelId: r.channel_id,
  tenantId: r.tenant_id,
  botId: r.bot_id,
  botName: r.bot_name,
});

export function createConversationStore(db: QueryExecutorProvider): ConversationStore {
  return {
    async save(c, at) {
      await sql`
        INSERT INTO bot_conversations (aad_object_id, teams_user_id, conversation_id, service_url, channel_id, tenant_id, bot_id, bot_name, installed_at, updated_at)
        VALUES (${c.aadObjectId}, ${c.teamsUserId}, ${c.conversationId}, ${c.serviceUrl}, ${c.channelId}, ${c.tenantId}, ${c.botId}, ${c.botName}, ${at.toISOString()}, ${at.toISOString()})
        ON CONFLICT (aad_object_id) DO UPDATE SET
          teams_user_id = excluded.teams_user_id, conversation_id = excluded.conversation_id, service_url = excluded.service_url,
          channel_id = excluded.channel_id, tenant_id = excluded.tenant_id, bot_id = excluded.bot_id, bot_name = excluded.bot_name,
          updated_at = excluded.updated_at, uninstalled_at = NULL`.execute(db);
    },
    async markUninstalled(aadObjectId, at) {
      await sql`UPDATE bot_conversations SET uninstalled_at = ${at.toISOString()}, updated_at = ${at.toISOString()} WHERE aad_object_id = ${aadObjectId}`.execute(db);
    },
    async find(aadObjectId) {
      const { rows } = await sql<ConversationRow>`SELECT * FROM bot_conversations WHERE aad_object_id = ${aadObjectId} AND uninstalled_at IS NULL`.execute(db);
      return rows[0] ? toConversation(rows[0]) : null;
    },
    async recordCard(c, at) {
      await sql`
        INSERT INTO bot_card_activities (request_id, person_id, conversation_id, service_url, activity_id, outbox_message_id, kind, created_at, updated_at)
        VALUES (${c.requestId}, ${c.personId}, ${c.conversationId}, ${c.serviceUrl}, ${c.activityId}, ${c.outboxMessageId}, ${c.kind}, ${at.toISOString()}, ${at.toISOString()})
        ON CONFLICT DO NOTHING`.execute(db);
    },
    async forDelivery(outboxMessageId, aadObjectId, requestId) {
      // One round trip instead of three: every message delivered asks all of it.
      const { rows } = await sql<{ earlier: CardRow | null; conversation: ConversationRow | null; cards: CardRow[] }>`
        SELECT
          (SELECT to_jsonb(c) FROM bot_card_activities c WHERE c.outbox_message_id = ${outboxMessageId}) AS earlier,
          (SELECT to_jsonb(v) FROM bot_conversations v WHERE v.aad_object_id = ${aadObjectId} AND v.uninstalled_at IS NULL) AS conversation,
          (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]'::jsonb) FROM bot_card_activities c WHERE c.request_id = ${requestId}) AS cards`.execute(db);
      const row = rows[0];
      return {
        earlier: row?.earlier ? toCard(row.earlier) : null,
        conversation: row?.conversation ? toConversation(row.conversation) : null,
        cardsForRequest: (row?.cards ?? []).map(toCard),
      };
    },
    async cardsForRequest(requestId) {
      const { rows } = await sql<CardRow>`SELECT * FROM bot_card_activities WHERE request_id = ${requestId} ORDER BY id`.execute(db);
      return rows.map(toCard);
    },
    async touchCard(conversationId, activityId, at) {
      await sql`UPDATE bot_card_activities SET updated_at = ${at.toISOString()} WHERE conversation_id = ${conversationId} AND activity_id = ${activityId}`.execute(db);
    },
    async settleOwedCards(requestId, personId, at) {
      // Said in last_error, which the tab shows beside a notification, so the record says how it was delivered.
      await sql`
        UPDATE outbox SET status = 'sent', sent_at = ${at.toISOString()}, last_error = 'Delivered when they installed the app: its current card was posted then.'
        WHERE request_id = ${requestId} AND recipient_id = ${personId} AND status = 'failed'`.execute(db);
    },
  };
}
