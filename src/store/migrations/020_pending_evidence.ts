/**
 * Evidence waiting for SharePoint, held in the database so that any server instance can retry it
 * (an instance's own disk may be gone by then). The bytes are kept in 1 MiB parts.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const pendingEvidence: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE pending_evidence (
        key text PRIMARY KEY,
        request_id text NOT NULL,
        request_reference text NOT NULL,
        case_reference text NOT NULL,
        drive_path text NOT NULL,
        content_type text NOT NULL,
        metadata jsonb,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        created_at timestamptz NOT NULL,
        drive_item_id text,
        web_url text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        status text NOT NULL CHECK (status IN ('pending', 'failed')),
        not_before timestamptz NOT NULL
      )`,
      `CREATE INDEX pending_evidence_due ON pending_evidence (not_before) WHERE status = 'pending'`,
      `CREATE TABLE pending_evidence_parts (
        key text NOT NULL REFERENCES pending_evidence (key) ON DELETE CASCADE,
        part integer NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (key, part)
      )`,
    ]);
  },
};
