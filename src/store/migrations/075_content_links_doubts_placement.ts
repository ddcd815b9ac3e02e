/**
 * Issue 14 (record) and issue 13 (safe viewing):
 * - one-time links that let the tab preview or download an evidence item or a filed document
 *   without a bearer header and without a blob URL in its own origin (only the token's SHA-256 is
 *   kept, so a copy of the table opens nothing);
 * - the doubts raised on a request, each with the service manager's view and the director's
 *   resolution;
 * - who placed the filed documents on the case record, and when.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const contentLinksDoubtsPlacement: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE content_links (
        token_hash text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('evidence', 'document')),
        request_id text NOT NULL,
        item_id text NOT NULL,
        person_id text NOT NULL,
        download boolean NOT NULL,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`,
      `CREATE INDEX content_links_expires_at ON content_links (expires_at)`,
      `ALTER TABLE investigation_requests ADD COLUMN doubts jsonb NOT NULL DEFAULT '[]'::jsonb`,
      `ALTER TABLE investigation_requests ADD COLUMN case_record_placement jsonb`,
    ]);
  },
};
