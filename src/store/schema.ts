/**
 * Row types of the PostgreSQL schema, as Kysely sees them. Both backends read timestamps back as
 * ISO 8601 strings, dates as `yyyy-mm-dd` and bigints as numbers (see database.ts), so the
 * selected types here are plain strings and numbers. jsonb columns are written as JSON text.
 */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';
import type { DisclosureMatch, DisclosureQuery } from '../domain/disclosure';
import type { Feedback, InvestigationLog } from '../domain/forms';
import type { DisposalProposal, DisposalRecord, LegalHold } from '../domain/retention';
import type { Decision, InvestigationRequest, StoredForm, Scope } from '../domain/request';

/** A jsonb column: selected as the parsed value, written as JSON text (or null where allowed). */
type JsonText<T> = null extends T ? string | null : string;
export type Json<T> = ColumnType<T, JsonText<T>, JsonText<T>>;

export interface PeopleTable {
  id: string;
  display_name: string;
  email: string | null;
  aad_object_id: string;
  roles: string[];
  manager_id: string | null;
  team: string | null;
  access_worker_trained_on: string | null;
  access_worker_authorised_until: string | null;
  active: boolean;
}

export interface InvestigationRequestsTable {
  id: string;
  reference: string;
  state: string;
  version: number;
  case_reference: string;
  originating_worker_id: string;
  team_manager_id: string | null;
  designated_access_worker_id: string | null;
  access_worker_id: string | null;
  linked_from_request_id: string | null;
  /** Kept by PostgreSQL from `agreement` and `authorisation`, for the "involving" filter. */
  agreement_by: GeneratedAlways<string | null>;
  authorisation_by: GeneratedAlways<string | null>;
  form: Json<StoredForm>;
  agreement: Json<Decision | null>;
  authorisation: Json<(Decision & { scope: Scope }) | null>;
  doubt_resolvers: Json<InvestigationRequest['doubtResolvers']>;
  returned_by: Json<InvestigationRequest['returnedBy']>;
  state_before_hold: string | null;
  doubts: Json<InvestigationRequest['doubts']>;
  case_record_placement: Json<InvestigationRequest['caseRecordPlacement']>;
  last_reason: Json<Decision | null>;
  first_search_started_at: string | null;
  log: Json<InvestigationLog | null>;
  feedback: Json<Feedback | null>;
  shared_with: Json<InvestigationRequest['sharedWith']>;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  closed_at: string | null;
  /** Set when the request was disposed of: the row is then an anonymised tombstone keeping the figures. */
  disposed_at: Generated<string | null>;
}

export interface RequestReferenceCountersTable {
  year: number;
  last_number: number;
}

export interface SearchSessionsTable {
  id: string;
  request_id: string;
  access_worker_id: string;
  started_at: string;
  ended_at: string | null;
  duration_seconds: number | null;
  corporate_account: boolean;
  subject_ids: ColumnType<string[], string | undefined, string>;
}

export interface EvidenceItemsTable {
  id: string;
  request_id: string;
  subject_id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  web_url: string | null;
  source_url: string;
  captured_at: string;
  captured_by: string;
  description: string;
  publicly_visible: boolean;
  corrects_evidence_id: string | null;
  correction_reason: string | null;
  upload_status: string;
  created_at: string;
}

export interface AuditEntriesTable {
  id: string;
  at: string;
  actor_id: string;
  actor_role: string;
  action: string;
  request_id: string | null;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  detail: Json<Record<string, unknown> | null>;
  http_request_id: string | null;
  /** Write order; the chain's order is `seq`, given after commit by the sequencer. */
  position: GeneratedAlways<number>;
  /** Null until the sequencer links the entry into the chain. */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  /** The hash of the contents, for the sequencer to link; null on entries written before migration 050. */
  body_hash: string | null;
  /** Set when the entry's personal contents were cleared on disposal; body_hash then vouches for them. */
  redacted_at: Generated<string | null>;
}

export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  at: string;
  /** Who signed it (src/audit/checkpoint.ts) and the Ed25519 signature; null for unsigned ones. */
  key_id: string | null;
  signature: string | null;
}

export interface OutboxTable {
  /** Insertion order, so messages written together are delivered in the order written. */
  position: GeneratedAlways<number>;
  id: string;
  created_at: Generated<string>;
  request_id: string | null;
  recipient_id: string | null;
  kind: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<string>;
  last_error: string | null;
  sent_at: string | null;
}

export interface RecordDocumentsTable {
  id: string;
  request_id: string;
  kind: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  web_url: string | null;
  created_at: string;
  occasion: string;
  version: number;
}

export interface DirectorySyncRunsTable {
  id: string;
  started_at: string;
  finished_at: string;
  trigger: string;
  requested_by: string | null;
  status: string;
  added: number;
  changed: number;
  removed: number;
  flagged_requests: number;
  conflicts: Json<unknown[]>;
  error: string | null;
}

export interface SurveyAnswersTable {
  id: string;
  person_id: string;
  answered_at: string;
  ease_of_authorisation: number;
  effectiveness: number;
  comments: string | null;
}

export interface SurveyAsksTable {
  person_id: string;
  asked_at: string;
  channel: string;
}

export interface PilotSettingsTable {
  id: number;
  start_date: string;
  length_months: number;
  platforms: string[];
  register_size: number;
  updated_at: string;
  updated_by: string;
}

export interface DisclosuresTable {
  id: string;
  requested_by: string;
  requested_at: string;
  query: Json<DisclosureQuery>;
  matches: Json<DisclosureMatch[]>;
}

export interface RequestRetentionTable {
  request_id: string;
  legal_hold: Json<LegalHold | null>;
  proposal: Json<DisposalProposal | null>;
  disposal: Json<DisposalRecord | null>;
  files_to_remove: Json<string[]>;
  updated_at: string;
}

export interface Database {
  people: PeopleTable;
  investigation_requests: InvestigationRequestsTable;
  request_reference_counters: RequestReferenceCountersTable;
  search_sessions: SearchSessionsTable;
  evidence_items: EvidenceItemsTable;
  audit_entries: AuditEntriesTable;
  audit_checkpoints: AuditCheckpointsTable;
  outbox: OutboxTable;
  record_documents: RecordDocumentsTable;
  directory_sync_runs: DirectorySyncRunsTable;
  pending_evidence: PendingEvidenceTable;
  pending_evidence_parts: PendingEvidencePartsTable;
  survey_answers: SurveyAnswersTable;
  survey_asks: SurveyAsksTable;
  pilot_settings: PilotSettingsTable;
  disclosures: DisclosuresTable;
  request_retention: RequestRetentionTable;
  checked_subjects: CheckedSubjectsTable;
  evaluation_facts: EvaluationFactsTable;
  disclosure_keys: DisclosureKeysTable;
  team_manager_deputies: TeamManagerDeputiesTable;
  content_links: ContentLinksTable;
}

/** Kept by triggers (migration 080): one row per request with what the evaluation's figures need. */
export interface EvaluationFactsTable {
  request_id: string;
  submitted_at: string | null;
  submitted_month: string | null;
  form_team: string | null;
  team: string | null;
  originating_worker_id: string;
  access_worker_id: string | null;
  state: string;
  closing_action: string | null;
  closing_reason: string | null;
  kind: string | null;
  agreed_at: string | null;
  authorised_at: string | null;
  claimed_at: string | null;
  searched_at: string | null;
  finalised_at: string | null;
  shared_at: string | null;
  submitted_agreed_ms: number | null;
  agreed_authorised_ms: number | null;
  authorised_claimed_ms: number | null;
  claimed_searched_ms: number | null;
  searched_finalised_ms: number | null;
  finalised_shared_ms: number | null;
  search_seconds: number;
  search_sessions: number;
  useful_pieces: number | null;
  unique_pieces: number | null;
  contribution: string | null;
  feedback_given: boolean;
  follow_up: string | null;
}

export interface DisclosureKeysTable {
  match_key: string;
  request_id: string;
}

export interface CheckedSubjectsTable {
  request_id: string;
  subject_id: string;
  match_key: string;
  authorised_at: string;
}

export interface TeamManagerDeputiesTable {
  id: string;
  team_manager_id: string;
  deputy_id: string;
  from_date: string;
  to_date: string;
  created_at: string;
  ended_at: string | null;
}

export interface ContentLinksTable {
  token_hash: string;
  kind: 'evidence' | 'document';
  request_id: string;
  item_id: string;
  person_id: string;
  download: boolean;
  issued_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface PendingEvidenceTable {
  key: string;
  request_id: string;
  request_reference: string;
  case_reference: string;
  drive_path: string;
  content_type: string;
  metadata: Json<Record<string, unknown> | null>;
  size: number;
  sha256: string;
  created_at: string;
  drive_item_id: string | null;
  web_url: string | null;
  attempts: number;
  last_error: string | null;
  status: string;
  not_before: string;
  /** Hidden from other claimers until then: an instance is uploading it. */
  claimed_until: string | null;
}

export interface PendingEvidencePartsTable {
  key: string;
  part: number;
  bytes: Uint8Array;
}
