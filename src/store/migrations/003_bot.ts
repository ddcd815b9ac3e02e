/**
 * The Teams bot's tables: each person's personal conversation with the bot (keyed by Entra
 * object id, so people are matched to the directory), and every card the bot has posted about
 * a request, so that each copy can be updated after a decision and a redelivered outbox
 * message is recognised instead of posted twice.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const bot: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE bot_conversations (
        aad_object_id text PRIMARY KEY,
        teams_user_id text NOT NULL,
        conversation_id text NOT NULL,
        service_url text NOT NULL,
        channel_id text NOT NULL,
        tenant_id text,
        bot_id text NOT NULL,
        bot_name text,
        installed_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        uninstalled_at timestamptz
      )`,
      `CREATE TABLE bot_card_activities (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id text NOT NULL,
        person_id text NOT NULL,
        conversation_id text NOT NULL,
        service_url text NOT NULL,
        activity_id text NOT NULL,
        outbox_message_id text UNIQUE,
        kind text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (conversation_id, activity_id)
      )`,
      `CREATE INDEX bot_card_activities_request_idx ON bot_card_activities (request_id, id)`,
    ]);
  },
};
