-- One decision as the application writes it (src/app/requests/take-action.ts), for pgbench:
-- the request's state and version, its audit entry (unlinked: the sequencer links it after
-- commit, migration 050) and one outbox message, in one transaction. `requests` is set with -D.
\set n random(1, :requests)
\set step random(1, 3)
BEGIN;
UPDATE investigation_requests
   SET state = (ARRAY['awaiting_team_manager', 'awaiting_service_director', 'authorised'])[:step],
       version = version + 1, updated_at = now()
 WHERE id = md5(CAST(:n AS text))::uuid::text;
INSERT INTO audit_entries (id, at, actor_id, actor_role, action, request_id, from_state, to_state, body_hash)
VALUES (gen_random_uuid()::text, now(), 'bench', 'bench', 'bench', md5(CAST(:n AS text))::uuid::text, 'a', 'b', md5(random()::text) || md5(random()::text));
INSERT INTO outbox (id, request_id, recipient_id, kind, payload)
VALUES (gen_random_uuid()::text, md5(CAST(:n AS text))::uuid::text, 'tom.reid', 'status_changed', '{}'::jsonb);
COMMIT;
