/**
 * The ports the use cases need. Adapters (src/store, src/evidence, src/identity) implement them;
 * nothing here knows of PostgreSQL, Graph, Fastify or botbuilder.
 */
import type { Readable } from 'node:stream';
import type { Condition } from '../domain/conditions';
import type { DisclosureRecord } from '../domain/disclosure';
import type { EvaluationRow, EvaluationTallies, TallyQuery } from '../domain/evaluation';
import type { EvidenceMetadata } from '../domain/forms';
import type { PilotSettings } from '../domain/pilot';
import type { RetentionRecord, RetentionSettings } from '../domain/retention';
import type { SurveyAnswer, SurveyChannel } from '../domain/survey';
import type { InvestigationRequest } from '../domain/request';
import type { Person, Role } from '../domain/roles';
import type { CheckedSubjectMatch } from '../domain/repeat-checks';
import type { RequestState } from '../domain/states';
import type { NotificationKind } from '../domain/workflow';

export interface Clock {
  now(): Date;
}

export interface Directory {
  get(id: string): Promise<Person | null>;
  byAadObjectId(aadObjectId: string): Promise<Person | null>;
  withRole(role: Role): Promise<Person[]>;
  all(): Promise<Person[]>;
}

/** What a use case asks the audit trail to record; the store adds sequence, hashes and id. */
export interface AuditEntryInput {
  at: string;
  actorId: string;
  /** The part the actor took ("team_manager", …) or "system". */
  actorRole: string;
  action: string;
  requestId: string | null;
  fromState: RequestState | null;
  toState: RequestState | null;
  reason: string | null;
  detail: Record<string, unknown> | null;
  /** The id of the HTTP call (or bot activity) that caused it. */
  httpRequestId: string | null;
}

/**
 * A recorded entry. `seq`, `prevHash` and `hash` are its place in the hash chain: null until the
 * sequencer links it, within a second or so of its commit.
 */
export interface AuditEntry extends AuditEntryInput {
  seq: number | null;
  id: string;
  prevHash: string | null;
  hash: string | null;
}

export interface OutboxMessageInput {
  requestId: string | null;
  /** A person id; null for messages addressed to the request's cards rather than a person. */
  recipientId: string | null;
  kind: NotificationKind;
  payload: Record<string, unknown>;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxMessage extends OutboxMessageInput {
  id: string;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
}

export interface RequestFilter {
  states?: RequestState[];
  /** Requests in which this person plays any part. */
  involving?: string;
  limit?: number;
}

/** Where a page of a list starts: after this request in the list's order (newest first). */
export interface RequestListKey {
  createdAt: string;
  id: string;
}

export interface RequestRepository {
  get(id: string): Promise<InvestigationRequest | null>;
  /** Those of `ids` that exist (not disposed of), in one statement; in no particular order. */
  getMany(ids: string[]): Promise<InvestigationRequest[]>;
  /** Reads and locks the row until the transaction ends (SELECT … FOR UPDATE). */
  getForUpdate(id: string): Promise<InvestigationRequest | null>;
  /**
   * As getForUpdate, with what a decision about the request reads from the directory, in the same
   * statement: see DecisionReads.
   */
  getForDecision(id: string, reads: DecisionReadsWanted): Promise<DecisionReads | null>;
  insert(request: InvestigationRequest): Promise<void>;
  /**
   * Writes what changed from `before` (the request as read) if the stored version is still
   * `before.version`; false when it is not.
   */
  update(request: InvestigationRequest, before: InvestigationRequest): Promise<boolean>;
  /** Deletes a draft never submitted, if its stored version is still `expectedVersion`; false when it is not there as such. */
  deleteUnsubmittedDraft(id: string, expectedVersion: number): Promise<boolean>;
  list(filter: RequestFilter): Promise<InvestigationRequest[]>;
  /**
   * Up to `limit` requests meeting `where`, newest first (created, then id), after `after` when
   * given, and how many requests meet `counted`: one statement, so a list costs one round trip.
   */
  pageAndCount(where: Condition, counted: Condition, options: { after?: RequestListKey; limit: number }): Promise<{ requests: InvestigationRequest[]; counted: number }>;
  /** Requests whose time-based expiry may be due (authorised, assigned, searching, on hold). */
  listWithLiveAuthorisation(): Promise<InvestigationRequest[]>;
  /** A new human-readable reference, e.g. SMC-2026-000042. */
  nextReference(year: number): Promise<string>;
  /**
   * People authorised to be checked at or after `since` under any of these keys (see
   * domain/repeat-checks.ts), with the request that put them in scope. Every authorised request's
   * people are keyed when it is written.
   */
  checkedSince(keys: string[], since: string): Promise<CheckedSubjectMatch[]>;
}

/**
 * A request locked for a decision, with the people the decision may read: those named in `people`,
 * the originating worker and their line manager, the request's team manager and theirs. Each of
 * these is in `people` here when the directory holds them (`covered` lists whom it was asked for).
 * `deputyships` are those in force on `today` for every covered person as team manager.
 */
export interface DecisionReads {
  request: InvestigationRequest;
  people: Person[];
  covered: string[];
  deputyships: Deputyship[];
  /** The active holders of each role in `roles`, in the directory's order (name, then id). */
  roleHolders: Partial<Record<Role, Person[]>>;
}

/** What a decision asks to read with its request: the people its body names, the roles its notifications go to. */
export interface DecisionReadsWanted {
  people: string[];
  today: string;
  roles?: Role[];
}

/** A team manager's deputy for a period (London dates, inclusive); ended early when `endedAt` is set. */
export interface Deputyship {
  id: string;
  teamManagerId: string;
  deputyId: string;
  from: string;
  to: string;
  createdAt: string;
  endedAt: string | null;
}

export interface DeputyRepository {
  insert(deputyship: Deputyship): Promise<void>;
  end(id: string, at: string): Promise<void>;
  /** The team manager's deputyships not ended and not yet over on `today`. */
  currentAndComing(teamManagerId: string, today: string): Promise<Deputyship[]>;
  /** Deputyships in force on `today` in which this person is the deputy. */
  inForceFor(deputyId: string, today: string): Promise<Deputyship[]>;
  /** Deputyships in force on `today` for this team manager. */
  inForceOf(teamManagerId: string, today: string): Promise<Deputyship[]>;
  /** Every deputyship in force on `today`. */
  allInForce(today: string): Promise<Deputyship[]>;
}

export interface SearchSession {
  id: string;
  requestId: string;
  accessWorkerId: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  /** The access worker's own confirmation, sent with the session, that the corporate account is in use. */
  corporateAccount: boolean;
  /** The people in scope the access worker searched in it; empty for sessions from before this was recorded. */
  subjectIds: string[];
}

export interface SearchSessionRepository {
  insert(session: SearchSession): Promise<void>;
  get(id: string): Promise<SearchSession | null>;
  end(id: string, endedAt: string, durationSeconds: number): Promise<void>;
  listForRequest(requestId: string): Promise<SearchSession[]>;
}

export type UploadStatus = 'stored' | 'upload_pending';

export interface EvidenceItem {
  id: string;
  requestId: string;
  subjectId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  webUrl: string | null;
  sourceUrl: string;
  capturedAt: string;
  capturedBy: string;
  description: string;
  publiclyVisible: boolean;
  correctsEvidenceId: string | null;
  correctionReason: string | null;
  uploadStatus: UploadStatus;
  createdAt: string;
}

export interface EvidenceRepository {
  insert(item: EvidenceItem): Promise<void>;
  get(id: string): Promise<EvidenceItem | null>;
  listForRequest(requestId: string): Promise<EvidenceItem[]>;
  getByStorageKey(storageKey: string): Promise<EvidenceItem | null>;
  listAll(): Promise<EvidenceItem[]>;
  /** False when the item is gone (its request disposed of meanwhile). */
  setUploadStatus(id: string, status: UploadStatus, storageKey: string, webUrl: string | null): Promise<boolean>;
}

/**
 * A one-time link to an evidence item or a filed document, for the browser to fetch without a
 * bearer header (an <img>, a new window, a download). Only the token's SHA-256 is kept.
 */
export interface ContentLink {
  tokenHash: string;
  kind: 'evidence' | 'document';
  requestId: string;
  itemId: string;
  personId: string;
  download: boolean;
  issuedAt: string;
  expiresAt: string;
}

export interface ContentLinkRepository {
  issue(link: ContentLink): Promise<void>;
  find(tokenHash: string): Promise<(ContentLink & { usedAt: string | null }) | null>;
  /**
   * Marks the link used and returns it, if it is for this item, unused and unexpired at `now`;
   * otherwise null and nothing changes. One statement, so two fetches at once cannot both win.
   */
  redeem(tokenHash: string, kind: ContentLink['kind'], requestId: string, itemId: string, now: Date): Promise<ContentLink | null>;
  /** Removes links that expired before `before`; they can never be used again. */
  removeExpired(before: Date): Promise<number>;
}

export type RecordDocumentKind = 'investigation_request' | 'investigation_log';
export type FilingOccasion = 'finalise' | 'share' | 'closed_early';

/** A generated record document (the Investigation Request or Log as .docx) filed beside the evidence. */
export interface RecordDocumentItem {
  id: string;
  requestId: string;
  kind: RecordDocumentKind;
  /** Why it was filed: finalise, share, or the request lapsing or being cancelled with evidence captured. */
  occasion: FilingOccasion;
  /** 1 for the first filing of this kind; each later occasion files a new version and keeps the earlier. */
  version: number;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  webUrl: string | null;
  createdAt: string;
}

export interface RecordDocumentRepository {
  /** Files the document; filing again for the same kind and occasion (a retry) replaces that one only. */
  upsert(document: RecordDocumentItem): Promise<void>;
  get(id: string): Promise<RecordDocumentItem | null>;
  listForRequest(requestId: string): Promise<RecordDocumentItem[]>;
  getByStorageKey(storageKey: string): Promise<RecordDocumentItem | null>;
  /** Points the document at where its file now is; false when it is gone (disposed of, or filed again meanwhile). */
  setStorage(id: string, storageKey: string, webUrl: string | null): Promise<boolean>;
}

export interface RecordDocumentsSource {
  request: InvestigationRequest;
  evidence: EvidenceItem[];
  searchSessions: SearchSession[];
  /** Display names by person id. */
  people: Record<string, string>;
  generatedAt: Date;
  retention?: RetentionSettings;
}

/** Generates the request's record documents and files them beside its evidence. */
export interface RecordDocumentWriter {
  write(source: RecordDocumentsSource, filing: { kinds: RecordDocumentKind[]; version: number }): Promise<Omit<RecordDocumentItem, 'id' | 'requestId' | 'createdAt' | 'occasion' | 'version'>[]>;
}

export interface AuditLog {
  /** Appends the entry, and queues the outbox messages the same change owes with it. */
  append(entry: AuditEntryInput, messages?: OutboxMessageInput[]): Promise<AuditEntry>;
  listForRequest(requestId: string): Promise<AuditEntry[]>;
}

export interface Outbox {
  add(messages: OutboxMessageInput[]): Promise<void>;
  listForRequest(requestId: string): Promise<OutboxMessage[]>;
  /** Puts a failed message back in the queue, due at once, with a fresh count of attempts. */
  requeue(id: string, at: Date): Promise<void>;
}

/** A person as Entra ID lists them. */
export interface DirectoryUser {
  aadObjectId: string;
  displayName: string;
  email: string | null;
  userPrincipalName: string | null;
  /** False when the account is disabled in Entra ID, null when the directory did not say: either way the person holds no role in the app. */
  accountEnabled: boolean | null;
  /** A guest from another organisation (Entra ID `userType` "Guest"): holds no role in the app. */
  guest: boolean;
}

/**
 * Where people and roles come from: one Entra ID security group per role (Microsoft Graph), or the
 * seeded demo directory in local mode. Every method reads everything it is asked for or throws.
 */
export interface DirectorySource {
  /** The roles this source has a group for; roles not listed are left as they are. */
  readonly roles: readonly Role[];
  /** Every member of the role's group, including members of nested groups. */
  members(role: Role): Promise<DirectoryUser[]>;
  /** The object id of the person's manager; null when they have none. */
  managerOf(aadObjectId: string): Promise<string | null>;
  /** A person by object id or user principal name; null when the directory has no such person. */
  findUser(idOrUserPrincipalName: string): Promise<DirectoryUser | null>;
}

export type DirectorySyncTrigger = 'startup' | 'schedule' | 'on_demand';

/**
 * Something a sync reports for an administrator to put right: a person in two role groups that may
 * not be combined (one role withheld), or a bootstrap administrator the directory does not know.
 */
export interface SyncProblem {
  kind: 'roles_not_combined' | 'bootstrap_administrator_not_found' | 'account_disabled' | 'account_state_unknown' | 'guest_account';
  aadObjectId: string | null;
  displayName: string;
  groups: Role[];
  withheld: Role | null;
  reason: string;
}

export interface DirectorySyncRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  trigger: DirectorySyncTrigger;
  requestedBy: string | null;
  status: 'succeeded' | 'failed';
  added: number;
  changed: number;
  removed: number;
  /** Open requests flagged to the service managers because their holder lost the role. */
  flaggedRequests: number;
  problems: SyncProblem[];
  error: string | null;
}

export interface DirectorySyncLog {
  record(run: DirectorySyncRun): Promise<void>;
  latest(): Promise<DirectorySyncRun | null>;
  latestSucceeded(): Promise<DirectorySyncRun | null>;
  /** Failed runs after the given time (all failed runs when null). */
  failuresSince(after: string | null): Promise<number>;
}

/** Settings an administrator keeps, each recorded with who changed it. */
export interface SettingsRepository {
  accessWorkerRegisterLimit(): Promise<number>;
}

export interface SurveyRepository {
  insert(answer: SurveyAnswer): Promise<void>;
  lastAnswer(personId: string): Promise<SurveyAnswer | null>;
  /**
   * Records that the person is asked at `at` through `channel`, unless they were last asked (or
   * answered) after `notAfter`. True when the ask was recorded: only then is the person asked.
   */
  claimAsk(personId: string, at: string, channel: SurveyChannel, notAfter: string): Promise<boolean>;
  /** Answers given in a period (London dates, inclusive). */
  answersBetween(from: string, to: string): Promise<SurveyAnswer[]>;
}

export interface PilotSettingsRepository {
  get(): Promise<PilotSettings | null>;
  put(settings: PilotSettings, at: string, by: string): Promise<void>;
}

export interface DisclosureRepository {
  /** Requests kept under any of the keys (domain/disclosure.ts, disclosureKeys), found by index. */
  candidateRequestIds(keys: string[]): Promise<string[]>;
  insert(record: DisclosureRecord): Promise<void>;
  get(id: string): Promise<DisclosureRecord | null>;
}

/** A request as the retention register sees it: disposed ones (tombstones) included. */
export interface RetentionRequestSummary {
  id: string;
  reference: string;
  state: RequestState;
  closedAt: string | null;
  disposedAt: string | null;
  team: string | null;
}

export interface RetentionCandidate {
  request: RetentionRequestSummary;
  record: RetentionRecord;
}

export interface RetentionRepository {
  request(id: string): Promise<RetentionRequestSummary | null>;
  get(requestId: string): Promise<RetentionRecord>;
  /** The record, created empty if need be, locked until the transaction ends. */
  getForUpdate(requestId: string, at: string): Promise<RetentionRecord>;
  put(record: RetentionRecord, at: string): Promise<void>;
  /**
   * For the review list: requests closed at or before `closedBefore` and not disposed of, those
   * under a legal hold, and disposed ones whose files are still to be removed.
   */
  candidates(closedBefore: string): Promise<RetentionCandidate[]>;
  /**
   * Makes the request an anonymised tombstone keeping its figures, deletes its evidence, document,
   * pending-upload and message rows, and redacts its (linked) audit entries by hash. Returns the
   * redacted entries and the storage keys of the files to remove from the evidence store.
   */
  dispose(requestId: string, at: string): Promise<{ redacted: { seq: number; bodyHash: string }[]; files: string[] }>;
}

/** Everything a use case may read or write inside one database transaction. */
export interface UnitOfWork {
  requests: RequestRepository;
  searchSessions: SearchSessionRepository;
  evidence: EvidenceRepository;
  documents: RecordDocumentRepository;
  contentLinks: ContentLinkRepository;
  audit: AuditLog;
  outbox: Outbox;
  directory: Directory;
  people: PeopleAdmin;
  directorySync: DirectorySyncLog;
  settings: SettingsRepository;
  surveys: SurveyRepository;
  pilotSettings: PilotSettingsRepository;
  disclosures: DisclosureRepository;
  retention: RetentionRepository;
  deputies: DeputyRepository;
}

/**
 * How one attempt went: sent at `sentAt`; or failed with `error`, to be retried at `retryAt`, or
 * given up (status failed) when that is null. `attempts` is the message's count when it was claimed
 * for this attempt: an outcome written late never overrides a later claim's.
 */
export type OutboxOutcome = { id: string; attempts: number } & ({ sentAt: Date } | { error: string; retryAt: Date | null });

/** The dispatcher's side of the outbox: claim due work safely across several server instances. */
export interface OutboxQueue {
  /**
   * Claims up to `limit` pending messages whose nextAttemptAt has come, locking them with
   * FOR UPDATE SKIP LOCKED and leasing them (nextAttemptAt moved `leaseSeconds` ahead, attempts + 1)
   * so that another instance, or this one after a crash, picks them up again only when the lease ends.
   */
  claimDue(now: Date, limit: number, leaseSeconds: number): Promise<OutboxMessage[]>;
  /** Records how attempts went, several in one write. */
  record(outcomes: readonly OutboxOutcome[]): Promise<void>;
  /** Hands back claimed messages not attempted (at shutdown): due at `at`, the claim's attempt not counted. */
  release(ids: string[], at: Date): Promise<void>;
}

export interface PeopleAdmin {
  upsert(person: Person): Promise<void>;
  /** The person, their row locked until the transaction ends: a directory sync writing them waits. */
  getForUpdate(id: string): Promise<Person | null>;
  /**
   * What the directory holds of a person (name, email, object id, roles, manager, active), adding
   * them if new; their team and register dates are left as they are, so a sync never writes back an
   * older copy of what an administrator changed meanwhile.
   */
  applyDirectory(person: Person): Promise<void>;
  /** An access worker's register dates, and nothing else of theirs. */
  setRegisterDates(id: string, dates: { trainedOn: string | null; authorisedUntil: string | null }): Promise<void>;
}

/** The evaluation's read model over the requests submitted in a period (London dates, inclusive), in one team if named. */
export interface EvaluationReadModel {
  /** Counts, sums and medians for the figures, taken in the database. */
  tallies(query: TallyQuery): Promise<EvaluationTallies>;
  /** One plain row per request, for the export. */
  rows(query: { from: string; to: string; team?: string | undefined }): Promise<EvaluationRow[]>;
}

export interface Store {
  /** Runs `work` in one transaction: all of it commits, or none of it. */
  transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  /** Reads outside a transaction. */
  read: UnitOfWork;
  evaluation: EvaluationReadModel;
  outboxQueue: OutboxQueue;
  people: PeopleAdmin;
  close(): Promise<void>;
}

/** Where evidence files live: local disk by default, SharePoint when configured. */
export interface EvidencePutInput {
  requestId: string;
  requestReference: string;
  caseReference: string;
  /** Made by the server, never the user's path. */
  fileName: string;
  contentType: string;
  content: Readable;
  metadata: EvidenceMetadata & { capturedBy: string };
}

export interface StoredEvidence {
  storageKey: string;
  size: number;
  sha256: string;
  webUrl: string | null;
  status: UploadStatus;
}

export interface EvidenceStore {
  /** `expectedSize`, when known, lets a remote store start uploading at once; another size is refused. */
  put(input: EvidencePutInput, options?: { expectedSize?: number }): Promise<StoredEvidence>;
  get(storageKey: string): Promise<Readable>;
  /** Deletes a file (evidence or a record document) for good; a file already gone is not an error. */
  remove(storageKey: string): Promise<void>;
}

/** Who is calling, as established by the identity middleware. */
export interface Caller {
  person: Person;
  /** The id of the HTTP call or bot activity, recorded in the audit trail. */
  requestId: string;
}
