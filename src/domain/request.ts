/** The Investigation Request as the workflow sees it, and the scope an authorisation fixes. */
import { investigationRequestSchema, type DraftRequestForm, type Feedback, type InvestigationLog, type InvestigationRequestForm, type Subject } from './forms';
import type { RequestState } from './states';

/** The request form complete, as it is from submission on. */
export type RequestForm = Omit<InvestigationRequestForm, 'subjects'> & { subjects: Subject[] };
/** The form as stored: a draft may still miss answers; every complete form is also one of these. */
export type StoredSubject = DraftRequestForm['subjects'][number] & { id: string };
export type StoredForm = Omit<DraftRequestForm, 'subjects'> & { subjects: StoredSubject[] };

/** Whether every answer the request needs is given: `submit` requires it, so every submitted request's form is. */
export function isComplete(form: StoredForm): form is RequestForm {
  return investigationRequestSchema.safeParse(form).success;
}

export interface Decision {
  by: string;
  at: string;
  note?: string;
  reason?: string;
}

export interface MonitoringScope {
  frequency: string;
  endDate: string;
  reviewDates: string[];
  /** The next date by which the service director must review; missed → the authorisation lapses. */
  nextReviewOn: string;
  endedOn?: string;
}

/** What the service director authorised. Later steps are checked against it. */
export interface Scope {
  subjectIds: string[];
  period: { from: string; to: string };
  kind: 'one_off' | 'monitoring';
  monitoring?: MonitoringScope;
  conditions?: string;
  /** An authorisation not acted on (no search started) by this time expires. */
  useBy: string;
}

/**
 * A doubt or disagreement raised while the search is prepared or under way (by the access worker or
 * the originating worker). The service manager for the case's team records a view; then a service
 * director resolves it. All three notes stay on the record.
 */
export interface Doubt {
  raisedBy: string;
  raisedAs: 'access_worker' | 'originating_worker';
  raisedAt: string;
  reason: string;
  serviceManagerView: { by: string; at: string; note: string } | null;
  resolution: { by: string; at: string; outcome: 'resume' | 'cancel'; note: string } | null;
}

/** Who recorded that the filed documents were placed on the case record, and when. */
export interface CaseRecordPlacement {
  by: string;
  at: string;
}

export interface InvestigationRequest {
  id: string;
  reference: string;
  state: RequestState;
  version: number;
  form: StoredForm;
  originatingWorkerId: string;
  teamManagerId: string | null;
  agreement: Decision | null;
  authorisation: (Decision & { scope: Scope }) | null;
  /** An access worker the service director chose; only they may take the request. */
  designatedAccessWorkerId: string | null;
  accessWorkerId: string | null;
  /** Service managers and directors who resolved a doubt on this request. */
  doubtResolvers: { personId: string; role: 'service_manager' | 'service_director' }[];
  /**
   * Who returned the request for changes, in which part: a return leaves no agreement or
   * authorisation behind, yet the person decided on the request and may take no other part on it.
   */
  returnedBy: { personId: string; role: 'team_manager' | 'service_director' }[];
  stateBeforeHold: RequestState | null;
  /** Every doubt raised, oldest first; the last is the open one while the request is on hold. */
  doubts: Doubt[];
  /** Set when the originating worker records that the filed documents are on the case record. */
  caseRecordPlacement: CaseRecordPlacement | null;
  lastReason: Decision | null;
  firstSearchStartedAt: string | null;
  log: InvestigationLog | null;
  feedback: Feedback | null;
  linkedFromRequestId: string | null;
  sharedWith: { personId: string; at: string }[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  closedAt: string | null;
}

/**
 * Whether the filed documents still wait to be placed on the case record: a shared request, and one
 * cancelled or lapsed after evidence was captured (not closed until the originating worker records it).
 */
export function awaitsCaseRecord(request: InvestigationRequest): boolean {
  if (request.caseRecordPlacement) return false;
  if (request.state === 'shared') return true;
  return (request.state === 'cancelled' || request.state === 'expired') && request.closedAt === null;
}

/** The doubt still open while the request is on hold. */
export function openDoubt(request: InvestigationRequest): Doubt | null {
  const last = request.doubts[request.doubts.length - 1];
  return request.state === 'on_hold' && last && !last.resolution ? last : null;
}

export function subjectsInScope(request: InvestigationRequest): StoredSubject[] {
  const ids = request.authorisation?.scope.subjectIds;
  if (!ids) return [];
  return request.form.subjects.filter((s) => ids.includes(s.id));
}

export function subjectLabel(subject: Pick<Subject, 'name' | 'description'>): string {
  return subject.name ?? `Unknown associate: ${(subject.description ?? '').slice(0, 80)}`;
}

/** A request as it is first raised: a draft at version 1, with no decisions yet. */
export function newDraft(init: { id: string; reference: string; form: StoredForm; originatingWorkerId: string; linkedFromRequestId: string | null; at: string }): InvestigationRequest {
  return {
    id: init.id,
    reference: init.reference,
    state: 'draft',
    version: 1,
    form: init.form,
    originatingWorkerId: init.originatingWorkerId,
    teamManagerId: null,
    agreement: null,
    authorisation: null,
    designatedAccessWorkerId: null,
    accessWorkerId: null,
    doubtResolvers: [],
    returnedBy: [],
    stateBeforeHold: null,
    doubts: [],
    caseRecordPlacement: null,
    lastReason: null,
    firstSearchStartedAt: null,
    log: null,
    feedback: null,
    linkedFromRequestId: init.linkedFromRequestId,
    sharedWith: [],
    createdAt: init.at,
    updatedAt: init.at,
    submittedAt: null,
    closedAt: null,
  };
}
