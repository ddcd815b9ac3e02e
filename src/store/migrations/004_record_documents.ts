/** The generated record documents (the Investigation Request and Log as .docx) filed for each request. */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const recordDocuments: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE record_documents (
        id text PRIMARY KEY,
        request_id text NOT NULL REFERENCES investigation_requests (id),
        kind text NOT NULL CHECK (kind IN ('investigation_request', 'investigation_log')),
        file_name text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL,
        web_url text,
        created_at timestamptz NOT NULL,
        UNIQUE (request_id, kind)
      )`,
    ]);
  },
};
