-- The same decision with the application's lock: the request row is read FOR UPDATE first
-- (RequestRepository.getForUpdate), as every use case that changes a request does. The audit
-- chain's lock is no longer taken here: since migration 050 only the sequencer takes it, after
-- commit (bench/pgbench.ts runs one beside pgbench, as every instance does).
\set n random(1, :requests)
\set step random(1, 3)
BEGIN;
SELECT version FROM investigation_requests WHERE id = md5(CAST(:n AS text))::uuid::text FOR UPDATE;
UPDATE investigation_requests
   SET state = (ARRAY['awaiting_team_manager', 'awaiting_service_director', 'authorised'])[:step],
       version = version + 1, updated_at = now()
 WHERE id = md5(CAST(:n AS text))::uuid::text;
INSERT INTO audit_entries (id, at, actor_id, actor_role, action, request_id, from_state, to_state, body_hash)
VALUES (gen_random_uuid()::text, now(), 'bench', 'bench', 'bench', md5(CAST(:n AS text))::uuid::text, 'a', 'b', md5(random()::text) || md5(random()::text));
INSERT INTO outbox (id, request_id, recipient_id, kind, payload)
VALUES (gen_random_uuid()::text, md5(CAST(:n AS text))::uuid::text, 'tom.reid', 'status_changed', '{}'::jsonb);
COMMIT;
