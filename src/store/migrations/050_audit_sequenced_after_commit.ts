/**
 * Audit entries are written without a place in the chain and linked into it after commit, as
 * Certificate Transparency logs and Trillian sequence entries after they are submitted. Before
 * this, every writer took the chain's lock and held it until commit, so commits ran one at a time.
 *
 * - A decision's transaction inserts its entry with `seq`, `prev_hash` and `hash` empty and the
 *   hash of its contents (`body_hash`); nothing is locked.
 * - `audit_link` (the sequencer) takes the chain's lock only if it is free and links committed
 *   unlinked entries in write order (`position`). One runs at a time across every instance
 *   sharing the database; checkpoints are written by the application, which holds the key.
 * - The only change the database allows to an entry is that single linking: empty place to
 *   filled, every other column unchanged. Deleting and truncating stay refused.
 * - Checkpoints can carry a signature by a key the database does not hold (src/audit/checkpoint.ts).
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const auditSequencedAfterCommit: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `ALTER TABLE audit_entries ADD COLUMN position bigint GENERATED ALWAYS AS IDENTITY`,
      `ALTER TABLE audit_entries ADD COLUMN body_hash text`,
      `ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_pkey`,
      `ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (position)`,
      `ALTER TABLE audit_entries ALTER COLUMN seq DROP NOT NULL`,
      `ALTER TABLE audit_entries ALTER COLUMN prev_hash DROP NOT NULL`,
      `ALTER TABLE audit_entries ALTER COLUMN hash DROP NOT NULL`,
      `ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_seq_key UNIQUE (seq)`,
      // Linked entries have all three; unlinked ones none, and the hash of their contents to link.
      `ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_linked_whole CHECK (
        (seq IS NULL AND prev_hash IS NULL AND hash IS NULL AND body_hash IS NOT NULL)
        OR (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL))`,
      `CREATE INDEX audit_entries_unlinked_idx ON audit_entries (position) WHERE seq IS NULL`,

      `DROP TRIGGER audit_entries_no_update_delete ON audit_entries`,
      `CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
      `CREATE FUNCTION audit_entries_link_only() RETURNS trigger LANGUAGE plpgsql AS $$
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
        RAISE EXCEPTION 'The audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`,
      `CREATE TRIGGER audit_entries_link_once BEFORE UPDATE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_entries_link_only()`,

      `ALTER TABLE audit_checkpoints ADD COLUMN key_id text`,
      `ALTER TABLE audit_checkpoints ADD COLUMN signature text`,

      `DROP FUNCTION audit_append(text, timestamptz, text, text, text, text, text, text, text, jsonb, text, text, integer)`,
      // Returns how many entries it linked, or -1 when another sequencer holds the chain. The head
      // is read under the lock, so two sequencers can never give out the same seq.
      `CREATE FUNCTION audit_link(p_limit integer) RETURNS integer
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_seq bigint;
        v_prev text;
        v_hash text;
        v_linked integer := 0;
        r record;
      BEGIN
        IF NOT pg_try_advisory_xact_lock(1397572417) THEN
          RETURN -1;
        END IF;
        SELECT a.seq, a.hash INTO v_seq, v_prev FROM audit_entries a WHERE a.seq IS NOT NULL ORDER BY a.seq DESC LIMIT 1;
        v_seq := COALESCE(v_seq, 0);
        v_prev := COALESCE(v_prev, repeat('0', 64));
        FOR r IN SELECT a.position, a.body_hash FROM audit_entries a WHERE a.seq IS NULL ORDER BY a.position LIMIT p_limit LOOP
          v_seq := v_seq + 1;
          v_hash := encode(sha256(convert_to(v_seq::text || ':' || v_prev || ':' || r.body_hash, 'UTF8')), 'hex');
          UPDATE audit_entries SET seq = v_seq, prev_hash = v_prev, hash = v_hash WHERE position = r.position;
          v_prev := v_hash;
          v_linked := v_linked + 1;
        END LOOP;
        RETURN v_linked;
      END
      $$`,
    ]);
  },
};
