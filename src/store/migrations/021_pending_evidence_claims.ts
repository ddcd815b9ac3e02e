/**
 * A claim on a pending upload gets its own column. It used to be written into `not_before`, so an
 * administrator's retry (which makes an item due now) also ended a claim another instance was
 * still uploading under, and SharePoint received the file twice.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const pendingEvidenceClaims: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [`ALTER TABLE pending_evidence ADD COLUMN claimed_until timestamptz`]);
  },
};
