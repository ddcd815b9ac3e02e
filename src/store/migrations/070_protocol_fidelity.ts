/**
 * Protocol fidelity (issue 14): each search session records the access worker's own
 * corporate-account confirmation; the Investigation Log is filed again on each occasion (finalise,
 * share, a lapse or cancellation after evidence) as a new version, the earlier ones kept.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const protocolFidelity: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      // Sessions before this change were not confirmed one by one, so they say so.
      `ALTER TABLE search_sessions ADD COLUMN corporate_account boolean NOT NULL DEFAULT false`,
      `ALTER TABLE record_documents ADD COLUMN occasion text NOT NULL DEFAULT 'finalise'`,
      `ALTER TABLE record_documents ADD COLUMN version integer NOT NULL DEFAULT 1`,
      `ALTER TABLE record_documents DROP CONSTRAINT record_documents_request_id_kind_key`,
      `ALTER TABLE record_documents ADD CONSTRAINT record_documents_occasion_key UNIQUE (request_id, kind, occasion)`,
    ]);
  },
};
