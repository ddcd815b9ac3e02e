/**
 * Retention (issue 10): each request's legal hold, disposal proposal and disposal decision; the
 * request row becomes an anonymised tombstone when disposed; audit entries of a disposed request are
 * redacted by hash, never removed.
 *
 * A redacted entry keeps its place, its links and the hash of its original contents (`body_hash`),
 * so the chain still verifies; its personal contents (reason, detail) are cleared. Only
 * `audit_redact` makes that change: to linked entries, once, the contents' hash kept. The disposal's
 * own audit entry names every redacted entry with that hash, so the verifier accepts a redacted
 * entry only when a later entry in the chain vouches for it (src/audit/verify.ts).
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const retention: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE request_retention (
        request_id text PRIMARY KEY REFERENCES investigation_requests (id),
        legal_hold jsonb,
        proposal jsonb,
        disposal jsonb,
        files_to_remove jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at timestamptz NOT NULL
      )`,
      `ALTER TABLE investigation_requests ADD COLUMN disposed_at timestamptz`,
      `CREATE INDEX investigation_requests_closed_idx ON investigation_requests (closed_at) WHERE closed_at IS NOT NULL AND disposed_at IS NULL`,
      `ALTER TABLE audit_entries ADD COLUMN redacted_at timestamptz`,
      // Runs after migration 050 has made audit_entries_link_once (plpgsql resolves names when called).
      // The trigger refuses every change but linking, so for this one change it is switched off
      // inside the disposal's transaction — taking the table's lock, so no other change can slip in
      // — and on again before the function returns; a failure rolls both back.
      `CREATE FUNCTION audit_redact(p_positions bigint[], p_body_hashes text[], p_at timestamptz) RETURNS integer
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_count integer;
      BEGIN
        ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_link_once;
        UPDATE audit_entries a SET reason = NULL, detail = NULL, body_hash = h.body_hash, redacted_at = p_at
          FROM unnest(p_positions, p_body_hashes) AS h(position, body_hash)
          WHERE a.position = h.position AND a.seq IS NOT NULL AND a.redacted_at IS NULL
            AND h.body_hash IS NOT NULL AND (a.body_hash IS NULL OR a.body_hash = h.body_hash);
        GET DIAGNOSTICS v_count = ROW_COUNT;
        ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_link_once;
        IF v_count <> cardinality(p_positions) THEN
          RAISE EXCEPTION 'Only linked entries not yet redacted may be redacted, keeping the hash of their contents'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN v_count;
      END
      $$`,
    ]);
  },
};
