/**
 * Appending to the audit chain in one statement. The chain's lock is held from the append until
 * commit and every other writer waits for it, so the work done under it must be as short as
 * possible: one call that takes the lock, reads the head (a fresh snapshot, as a volatile function
 * statement gets), links the entry and inserts it. The entry's contents are hashed by the
 * application (canonical JSON); the database only chains: sha256(seq:prevHash:bodyHash).
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const auditAppendFunction: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE FUNCTION audit_append(
        p_id text, p_at timestamptz, p_actor_id text, p_actor_role text, p_action text, p_request_id text,
        p_from_state text, p_to_state text, p_reason text, p_detail jsonb, p_http_request_id text,
        p_body_hash text, p_checkpoint_every integer
      ) RETURNS TABLE (out_seq bigint, out_prev_hash text, out_hash text)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_seq bigint;
        v_prev text;
        v_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(1397572417);
        SELECT a.seq, a.hash INTO v_seq, v_prev FROM audit_entries a ORDER BY a.seq DESC LIMIT 1;
        v_seq := COALESCE(v_seq, 0) + 1;
        v_prev := COALESCE(v_prev, repeat('0', 64));
        v_hash := encode(sha256(convert_to(v_seq::text || ':' || v_prev || ':' || p_body_hash, 'UTF8')), 'hex');
        INSERT INTO audit_entries (seq, id, at, actor_id, actor_role, action, request_id, from_state, to_state, reason, detail, http_request_id, prev_hash, hash)
          VALUES (v_seq, p_id, p_at, p_actor_id, p_actor_role, p_action, p_request_id, p_from_state, p_to_state, p_reason, p_detail, p_http_request_id, v_prev, v_hash);
        IF v_seq % p_checkpoint_every = 0 THEN
          INSERT INTO audit_checkpoints (seq, hash, at) VALUES (v_seq, v_hash, p_at);
        END IF;
        RETURN QUERY SELECT v_seq, v_prev, v_hash;
      END
      $$`,
    ]);
  },
};
