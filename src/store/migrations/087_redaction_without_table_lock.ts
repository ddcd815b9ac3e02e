/**
 * Redaction on disposal without the table lock. `audit_redact` (migration 032) switched the
 * link-only trigger off for its update, and ALTER TABLE … DISABLE TRIGGER takes a lock that
 * conflicts with every insert: each disposal held up every audit write in the service (every
 * decision, every read of a record) until it committed. Now the trigger itself lets through one
 * more change, the redaction, and only while `audit_redact` runs (a setting local to its
 * transaction): the row keeps its place, links, identity and the hash of what it held; its personal
 * contents (reason, detail) are cleared once.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const redactionWithoutTableLock: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE OR REPLACE FUNCTION audit_entries_link_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
          AND (NEW.position, NEW.id, NEW.at, NEW.actor_id, NEW.actor_role, NEW.action, NEW.request_id, NEW.from_state,
               NEW.to_state, NEW.reason, NEW.detail, NEW.http_request_id, NEW.body_hash)
          IS NOT DISTINCT FROM
              (OLD.position, OLD.id, OLD.at, OLD.actor_id, OLD.actor_role, OLD.action, OLD.request_id, OLD.from_state,
               OLD.to_state, OLD.reason, OLD.detail, OLD.http_request_id, OLD.body_hash)
        THEN
          RETURN NEW;
        END IF;
        IF current_setting('smc.audit_redacting', true) = 'on'
          AND OLD.seq IS NOT NULL AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
          AND NEW.reason IS NULL AND NEW.detail IS NULL AND NEW.body_hash IS NOT NULL
          AND (OLD.body_hash IS NULL OR OLD.body_hash = NEW.body_hash)
          AND (NEW.position, NEW.seq, NEW.prev_hash, NEW.hash, NEW.id, NEW.at, NEW.actor_id, NEW.actor_role, NEW.action,
               NEW.request_id, NEW.from_state, NEW.to_state, NEW.http_request_id)
          IS NOT DISTINCT FROM
              (OLD.position, OLD.seq, OLD.prev_hash, OLD.hash, OLD.id, OLD.at, OLD.actor_id, OLD.actor_role, OLD.action,
               OLD.request_id, OLD.from_state, OLD.to_state, OLD.http_request_id)
        THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'The audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`,
      `CREATE OR REPLACE FUNCTION audit_redact(p_positions bigint[], p_body_hashes text[], p_at timestamptz) RETURNS integer
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_count integer;
      BEGIN
        PERFORM set_config('smc.audit_redacting', 'on', true);
        UPDATE audit_entries a SET reason = NULL, detail = NULL, body_hash = h.body_hash, redacted_at = p_at
          FROM unnest(p_positions, p_body_hashes) AS h(position, body_hash)
          WHERE a.position = h.position AND a.seq IS NOT NULL AND a.redacted_at IS NULL
            AND h.body_hash IS NOT NULL AND (a.body_hash IS NULL OR a.body_hash = h.body_hash);
        GET DIAGNOSTICS v_count = ROW_COUNT;
        PERFORM set_config('smc.audit_redacting', 'off', true);
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
