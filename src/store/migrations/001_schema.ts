/** The tables of the workflow: people, requests, search sessions, evidence, audit trail, outbox. */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const schema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE people (
        id text PRIMARY KEY,
        display_name text NOT NULL,
        email text,
        aad_object_id text NOT NULL UNIQUE,
        roles text[] NOT NULL DEFAULT '{}',
        manager_id text,
        team text,
        access_worker_trained_on date,
        access_worker_authorised_until date,
        active boolean NOT NULL DEFAULT true
      )`,
      `CREATE INDEX people_roles_idx ON people USING gin (roles)`,

      `CREATE TABLE investigation_requests (
        id text PRIMARY KEY,
        reference text NOT NULL UNIQUE,
        state text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        case_reference text NOT NULL,
        originating_worker_id text NOT NULL,
        team_manager_id text,
        designated_access_worker_id text,
        access_worker_id text,
        linked_from_request_id text REFERENCES investigation_requests (id),
        form jsonb NOT NULL,
        agreement jsonb,
        authorisation jsonb,
        agreement_by text GENERATED ALWAYS AS (agreement ->> 'by') STORED,
        authorisation_by text GENERATED ALWAYS AS (authorisation ->> 'by') STORED,
        doubt_resolvers jsonb NOT NULL DEFAULT '[]',
        state_before_hold text,
        last_reason jsonb,
        first_search_started_at timestamptz,
        log jsonb,
        feedback jsonb,
        shared_with jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        submitted_at timestamptz,
        closed_at timestamptz
      )`,
      `CREATE INDEX investigation_requests_state_idx ON investigation_requests (state, created_at DESC)`,
      `CREATE INDEX investigation_requests_originating_idx ON investigation_requests (originating_worker_id)`,
      `CREATE INDEX investigation_requests_team_manager_idx ON investigation_requests (team_manager_id)`,
      `CREATE INDEX investigation_requests_designated_idx ON investigation_requests (designated_access_worker_id)`,
      `CREATE INDEX investigation_requests_access_worker_idx ON investigation_requests (access_worker_id)`,
      `CREATE INDEX investigation_requests_agreement_by_idx ON investigation_requests (agreement_by)`,
      `CREATE INDEX investigation_requests_authorisation_by_idx ON investigation_requests (authorisation_by)`,
      `CREATE INDEX investigation_requests_doubt_resolvers_idx ON investigation_requests USING gin (doubt_resolvers jsonb_path_ops)`,
      `CREATE INDEX investigation_requests_shared_with_idx ON investigation_requests USING gin (shared_with jsonb_path_ops)`,
      `CREATE INDEX investigation_requests_linked_from_idx ON investigation_requests (linked_from_request_id)`,

      `CREATE TABLE request_reference_counters (
        year integer PRIMARY KEY,
        last_number integer NOT NULL
      )`,

      `CREATE TABLE search_sessions (
        id text PRIMARY KEY,
        request_id text NOT NULL REFERENCES investigation_requests (id),
        access_worker_id text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        duration_seconds integer
      )`,
      `CREATE INDEX search_sessions_request_idx ON search_sessions (request_id, started_at)`,

      `CREATE TABLE evidence_items (
        id text PRIMARY KEY,
        request_id text NOT NULL REFERENCES investigation_requests (id),
        subject_id text NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL,
        web_url text,
        source_url text NOT NULL,
        captured_at timestamptz NOT NULL,
        captured_by text NOT NULL,
        description text NOT NULL,
        publicly_visible boolean NOT NULL,
        corrects_evidence_id text REFERENCES evidence_items (id),
        correction_reason text,
        upload_status text NOT NULL CHECK (upload_status IN ('stored', 'upload_pending')),
        created_at timestamptz NOT NULL
      )`,
      `CREATE INDEX evidence_items_request_idx ON evidence_items (request_id, created_at)`,

      `CREATE TABLE audit_entries (
        seq bigint PRIMARY KEY CHECK (seq >= 1),
        id text NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        request_id text,
        from_state text,
        to_state text,
        reason text,
        detail jsonb,
        http_request_id text,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`,
      `CREATE INDEX audit_entries_request_idx ON audit_entries (request_id, seq)`,

      `CREATE TABLE audit_checkpoints (
        seq bigint PRIMARY KEY,
        hash text NOT NULL,
        at timestamptz NOT NULL
      )`,

      `CREATE TABLE outbox (
        position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        request_id text,
        recipient_id text,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        sent_at timestamptz
      )`,
      `CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at)`,
      `CREATE INDEX outbox_request_idx ON outbox (request_id, position)`,
    ]);
  },
};
