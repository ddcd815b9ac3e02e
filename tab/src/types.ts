/** The API's JSON shapes as the tab reads them (issue 2, "API contract"). */
import type { Role } from '../../src/domain/roles';
import type { RecordAbility } from '../../src/domain/policy';
import type { RequestState, WorkflowAction } from '../../src/domain/states';
import type { ConcernCategory, Contribution, SubjectKind } from '../../src/domain/forms';

export interface DevUser {
  id: string;
  displayName: string;
  roles: Role[];
  managerId?: string | null;
  aadObjectId: string;
}

/** A person as `GET /api/people?role=` lists them. */
export interface PersonSummary {
  id: string;
  displayName: string;
  roles: Role[];
  team?: string | null;
}

export interface Me {
  id: string;
  displayName: string;
  roles: Role[];
  managerId?: string | null;
}

export interface ApiSubject {
  id: string;
  /** Missing only in a draft not yet finished. */
  kind?: SubjectKind;
  name?: string;
  otherNames?: string;
  dateOfBirth?: string;
  area?: string;
  relationshipToChild?: string;
  profileUrl?: string;
  description?: string;
}

export interface ApiDecision {
  by: string;
  at: string;
  note?: string;
  reason?: string;
}

export interface ApiScope {
  subjectIds: string[];
  period: { from: string; to: string };
  kind: 'one_off' | 'monitoring';
  monitoring?: { frequency: string; endDate: string; reviewDates: string[]; nextReviewOn: string; endedOn?: string };
  conditions?: string;
  useBy: string;
}

export interface ApiFinding {
  subjectId: string;
  visibility: 'public' | 'restricted' | 'not_found';
  profileUrl?: string;
  summary: string;
}

export interface ApiAssessment {
  summary: string;
  usefulPieces: number;
  uniquePieces: number;
  contribution: Contribution;
  actionsTaken: string;
}

export interface ApiLog {
  findings: ApiFinding[];
  furtherPersons: { description: string }[];
  accessWorkerComments?: string;
  assessment?: ApiAssessment;
}

export interface ApiFeedback {
  timesUsed: number;
  searchMinutes?: number;
  usefulPieces: number;
  uniquePieces: number;
  contribution: Contribution;
  comments?: string;
  followUp?: { longerTermUsefulness: Contribution; comments?: string };
}

export interface ApiRequest {
  id: string;
  reference: string;
  state: RequestState;
  version: number;
  /** What the caller may do now, each action with whether it needs a written reason. */
  allowedActions: { action: WorkflowAction; reasonRequired: boolean }[];
  abilities: RecordAbility[];
  waitingForMe: boolean;
  /** In a draft, answers not yet given are empty ('' or []). */
  caseReference: string;
  team?: string;
  children: { name: string; dateOfBirth?: string }[];
  concernCategories: ConcernCategory[];
  concernOther?: string;
  concernDetails: string;
  justification: string;
  subjects: ApiSubject[];
  period: { from: string; to: string };
  monitoring: { justification: string; frequency?: string; endDate: string } | null;
  urgency?: 'routine' | 'urgent';
  neededBy: string;
  linkedFromRequestId?: string | null;
  originatingWorkerId: string;
  teamManagerId: string | null;
  agreement: ApiDecision | null;
  authorisation: (ApiDecision & { scope: ApiScope }) | null;
  accessWorkerId: string | null;
  log: ApiLog | null;
  feedback: ApiFeedback | null;
  lastReason: ApiDecision | null;
  sharedWith?: { personId: string; at: string }[];
  firstSearchStartedAt?: string | null;
  doubts?: ApiDoubt[];
  caseRecordPlacement?: { by: string; at: string } | null;
  /** A one-off check's review window, from its first search session. */
  searchWindowClosesAt?: string | null;
  oneOffReviewDays?: number;
  /** People on this request checked under another authorisation in the last 12 months (team manager, directors and managers only). */
  earlierChecks?: EarlierCheck[] | null;
  followUpOpensAt?: string | null;
  createdAt: string;
  updatedAt: string;
  people?: Record<string, string>;
}

/** A page of `GET /api/requests`. */
export interface RequestPage {
  /** Each with whether its next step is late by the reminder settings. */
  items: (ApiRequest & { overdue?: boolean })[];
  nextCursor: string | null;
  counts: { waitingForMe: number };
}

/** Where the signed-in worker's requests go (GET /api/me/team-manager). */
export interface TeamManagerChoice {
  teamManager: { id: string; displayName: string } | null;
  choose: boolean;
  why: string | null;
  teamManagers: { id: string; displayName: string }[];
}

/** A team manager's deputy for a period (London dates, inclusive). */
export interface Deputyship {
  id: string;
  teamManagerId: string;
  deputyId: string;
  from: string;
  to: string;
  deputyName: string;
  teamManagerName: string;
}

export interface DeputiesView {
  deputies: Deputyship[];
  standingInFor: Deputyship[];
  teamManagers: { id: string; displayName: string }[];
}

export interface EarlierCheck {
  subjectId: string;
  requestId: string;
  reference: string;
  authorisedAt: string;
  matchedBy: 'profile_link' | 'name_and_date_of_birth';
  visible: boolean;
}

export interface ApiDoubt {
  raisedBy: string;
  raisedAs: 'access_worker' | 'originating_worker';
  raisedAt: string;
  reason: string;
  serviceManagerView: { by: string; at: string; note: string } | null;
  resolution: { by: string; at: string; outcome: 'resume' | 'cancel'; note: string } | null;
}

export interface SearchSession {
  id: string;
  accessWorkerId?: string;
  startedAt: string;
  endedAt?: string | null;
  durationSeconds?: number | null;
  corporateAccount?: boolean;
}

export interface EvidenceItem {
  id: string;
  subjectId: string;
  fileName?: string;
  contentType?: string;
  size: number;
  sha256: string;
  sourceUrl: string;
  capturedAt: string;
  description: string;
  publiclyVisible?: boolean;
  capturedBy?: string;
  correctsEvidenceId?: string | null;
  correctionReason?: string | null;
  createdAt?: string;
  link?: string | null;
}

export interface AuditEntry {
  id: string;
  /** Null for a moment after the entry is written, until it is linked into the chain. */
  seq: number | null;
  at: string;
  actorId: string | null;
  actorName?: string | null;
  actorRole?: string | null;
  action: string;
  fromState?: RequestState | null;
  toState?: RequestState | null;
  reason?: string | null;
}

/** Delivery of one owed notification; fields beyond these are shown if present. */
export interface NotificationStatus {
  id: string;
  kind: string;
  recipientId?: string | null;
  recipientName?: string | null;
  status: string;
  createdAt?: string;
  sentAt?: string | null;
  attempts?: number;
  lastError?: string | null;
  /** What to do about a failure, for the sender or an administrator. */
  advice?: string | null;
  canRetry?: boolean;
}

/** A filed record document (`GET /api/requests/{id}/documents`). */
export interface RecordDocument {
  id: string;
  kind: 'investigation_request' | 'investigation_log';
  occasion?: 'finalise' | 'share' | 'closed_early';
  version?: number;
  fileName: string;
  size: number;
  sha256: string;
  webUrl: string | null;
  createdAt: string;
}
