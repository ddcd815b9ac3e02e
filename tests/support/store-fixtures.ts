/**
 * Fully populated entities for the store suites: every field has a value (no undefined, no
 * empty list where a list is possible), so a round trip that drops or mangles one is caught.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntryInput, EvidenceItem, SearchSession } from '../../src/app/ports';
import type { InvestigationRequest } from '../../src/domain/request';
import type { Person } from '../../src/domain/roles';

export function fullPerson(id: string, overrides: Partial<Person> = {}): Person {
  return {
    id,
    displayName: `Person ${id}`,
    email: `${id}@council.example`,
    aadObjectId: `aad-${id}`,
    roles: ['access_worker', 'social_worker'],
    managerId: 'tm-1',
    team: 'Assessment East',
    accessWorkerTrainedOn: '2026-02-03',
    accessWorkerAuthorisedUntil: '2027-02-02',
    active: true,
    ...overrides,
  };
}

/** A request far along its life, so that every part of it holds data. */
export function fullRequest(overrides: Partial<InvestigationRequest> = {}): InvestigationRequest {
  return {
    id: randomUUID(),
    reference: `SMC-2026-${randomUUID().slice(0, 6)}`,
    state: 'with_originating_worker',
    version: 7,
    form: {
      caseReference: 'CASE-1234',
      team: 'Assessment East',
      children: [
        { name: 'Child A', dateOfBirth: '2015-03-02' },
        { name: 'Child B', dateOfBirth: '2018-11-30' },
      ],
      concernCategories: ['misleading_information', 'other'],
      concernOther: 'Contact arrangements',
      concernDetails: 'Mother says the relationship ended in May; “new partner” seen at school gate.',
      justification: 'Would triangulate the account given at the child protection conference.',
      subjects: [
        {
          id: 'subject-1',
          kind: 'service_user',
          name: 'Jane Doe',
          otherNames: 'Janey D',
          dateOfBirth: '1990-01-01',
          area: 'Northtown',
          relationshipToChild: 'Mother',
          profileUrl: 'https://www.facebook.com/jane.doe',
          description: 'Dark hair',
        },
        {
          id: 'subject-2',
          kind: 'unknown_associate',
          name: undefined,
          otherNames: undefined,
          dateOfBirth: undefined,
          area: undefined,
          relationshipToChild: undefined,
          profileUrl: undefined,
          description: 'Tall man with a red van, seen at the address',
        },
      ],
      period: { from: '2026-05-01', to: '2026-11-01' },
      monitoring: { justification: 'Risk is ongoing', frequency: 'fortnightly', endDate: '2027-02-01' },
      urgency: 'urgent',
      neededBy: '2026-12-10',
      linkedFromRequestId: undefined,
    },
    originatingWorkerId: 'osw-1',
    teamManagerId: 'tm-1',
    agreement: { by: 'tm-1', at: '2026-11-02T09:15:00.000Z', note: 'Discussed in supervision' },
    authorisation: {
      by: 'sd-1',
      at: '2026-11-03T14:00:00.123Z',
      note: 'Proportionate',
      scope: {
        subjectIds: ['subject-1', 'subject-2'],
        period: { from: '2026-05-01', to: '2026-11-01' },
        kind: 'monitoring',
        monitoring: {
          frequency: 'fortnightly',
          endDate: '2027-02-01',
          reviewDates: ['2026-12-01', '2027-01-01'],
          nextReviewOn: '2026-12-01',
          endedOn: '2027-02-01',
        },
        conditions: 'Do not view photographs of the children',
        useBy: '2026-12-01T14:00:00.123Z',
      },
    },
    designatedAccessWorkerId: 'aaw-1',
    accessWorkerId: 'aaw-1',
    doubtResolvers: [
      { personId: 'sm-1', role: 'service_manager' },
      { personId: 'sd-1', role: 'service_director' },
    ],
    returnedBy: [{ personId: 'tm-2', role: 'team_manager' }],
    stateBeforeHold: 'searching',
    doubts: [
      {
        raisedBy: 'aaw-1',
        raisedAs: 'access_worker',
        raisedAt: '2026-11-04T10:00:00.000Z',
        reason: 'Unsure the account is corporate',
        serviceManagerView: { by: 'sm-1', at: '2026-11-04T11:00:00.000Z', note: 'The account is the corporate one' },
        resolution: { by: 'sd-1', at: '2026-11-04T12:00:00.000Z', outcome: 'resume', note: 'Carry on' },
      },
    ],
    caseRecordPlacement: null,
    lastReason: { by: 'aaw-1', at: '2026-11-04T10:00:00.000Z', reason: 'Unsure the account is corporate' },
    firstSearchStartedAt: '2026-11-05T08:30:00.000Z',
    log: {
      findings: [
        { subjectId: 'subject-1', visibility: 'public', profileUrl: 'https://www.facebook.com/jane.doe', summary: 'Photos with partner' },
        { subjectId: 'subject-2', visibility: 'not_found', profileUrl: undefined, summary: 'No profile found' },
      ],
      furtherPersons: [{ description: 'A woman tagged in several photos' }],
      accessWorkerComments: 'Corporate account used throughout',
      assessment: { summary: 'Contradicts the account', usefulPieces: 3, uniquePieces: 1, contribution: 'considerable', actionsTaken: 'Strategy meeting' },
    },
    feedback: {
      timesUsed: 2,
      searchMinutes: 45,
      usefulPieces: 3,
      uniquePieces: 1,
      contribution: 'significant',
      comments: 'Quick and useful',
      followUp: { longerTermUsefulness: 'some', comments: 'Still relevant at review' },
    },
    linkedFromRequestId: null,
    sharedWith: [
      { personId: 'tm-1', at: '2026-11-10T12:00:00.000Z' },
      { personId: 'sm-1', at: '2026-11-10T12:00:01.000Z' },
    ],
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: '2026-11-09T16:45:30.250Z',
    submittedAt: '2026-11-01T08:05:00.000Z',
    closedAt: '2026-11-10T12:00:02.000Z',
    ...overrides,
  };
}

export function fullSession(requestId: string, overrides: Partial<SearchSession> = {}): SearchSession {
  return {
    id: randomUUID(),
    requestId,
    accessWorkerId: 'aaw-1',
    startedAt: '2026-11-05T08:30:00.000Z',
    endedAt: '2026-11-05T09:15:30.000Z',
    durationSeconds: 2730,
    corporateAccount: true,
    subjectIds: ['subject-1'],
    ...overrides,
  };
}

export function fullEvidence(requestId: string, overrides: Partial<EvidenceItem> = {}): EvidenceItem {
  return {
    id: randomUUID(),
    requestId,
    subjectId: 'subject-1',
    fileName: 'screenshot-1.png',
    contentType: 'image/png',
    size: 5_000_000_123,
    sha256: 'a'.repeat(64),
    storageKey: 'CASE-1234/SMC-2026-000001/screenshot-1.png',
    webUrl: 'https://council.sharepoint.com/sites/smc/evidence/screenshot-1.png',
    sourceUrl: 'https://www.facebook.com/jane.doe/posts/1',
    capturedAt: '2026-11-05T08:40:00.000Z',
    capturedBy: 'aaw-1',
    description: 'Post showing the partner at the address',
    publiclyVisible: true,
    correctsEvidenceId: null,
    correctionReason: null,
    uploadStatus: 'stored',
    createdAt: '2026-11-05T08:41:00.000Z',
    ...overrides,
  };
}

export function auditInput(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    at: '2026-11-05T08:30:00.000Z',
    actorId: 'tm-1',
    actorRole: 'team_manager',
    action: 'agree',
    requestId: null,
    fromState: 'awaiting_team_manager',
    toState: 'awaiting_service_director',
    reason: 'Proportionate in the circumstances',
    detail: { note: 'Discussed in supervision', zeta: 1, alpha: { nested: [1, 'two', null, true] } },
    httpRequestId: 'req-123',
    ...overrides,
  };
}

/** Resolves every waiter once `count` of them are waiting: lets transactions meet while all open. */
export function barrier(count: number): () => Promise<void> {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    waiting += 1;
    if (waiting === count) release();
    return all;
  };
}
