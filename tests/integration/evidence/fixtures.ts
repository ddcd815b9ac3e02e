/** A finalised request with its evidence and search session, as the documents and the verifier see them. */
import type { EvidenceItem, SearchSession } from '../../../src/app/ports';
import type { InvestigationRequest } from '../../../src/domain/request';

const noDetails = { name: undefined, otherNames: undefined, dateOfBirth: undefined, area: undefined, relationshipToChild: undefined, profileUrl: undefined, description: undefined };

export const request: InvestigationRequest = {
  id: 'req-1',
  reference: 'SMC-2026-000042',
  state: 'finalised',
  version: 12,
  form: {
    caseReference: 'CASE-77',
    team: 'Assessment Team North',
    children: [{ name: 'Amy Example', dateOfBirth: '2015-03-04' }],
    concernCategories: ['misleading_information', 'other'],
    concernOther: 'Contact with a barred relative',
    concernDetails: 'Mother says she has separated from Mr Z.',
    justification: 'Would triangulate the claimed separation; home visits inconclusive.',
    subjects: [
      { ...noDetails, id: 's1', kind: 'service_user', name: 'Jane Example', area: 'Northtown' },
      { ...noDetails, id: 's2', kind: 'unknown_associate', description: 'Man with a red van seen at the address' },
    ],
    period: { from: '2026-09-01', to: '2026-11-20' },
    monitoring: null,
    urgency: 'urgent',
    neededBy: '2026-12-01',
    linkedFromRequestId: undefined,
  },
  originatingWorkerId: 'osw',
  teamManagerId: 'tm',
  agreement: { by: 'tm', at: '2026-11-21T09:00:00Z', note: 'Discussed in supervision.' },
  authorisation: {
    by: 'sd',
    at: '2026-11-21T15:00:00Z',
    scope: { subjectIds: ['s1'], period: { from: '2026-09-01', to: '2026-11-20' }, kind: 'one_off', conditions: 'Public posts only', useBy: '2026-12-19' },
  },
  designatedAccessWorkerId: null,
  accessWorkerId: 'aaw',
  doubtResolvers: [],
  returnedBy: [],
  stateBeforeHold: null,
  doubts: [],
  caseRecordPlacement: null,
  lastReason: null,
  firstSearchStartedAt: '2026-11-24T10:00:00Z',
  log: {
    findings: [{ subjectId: 's1', visibility: 'public', profileUrl: 'https://www.facebook.com/jane.example', summary: 'Photos with Mr Z dated October.' }],
    furtherPersons: [{ description: 'Woman tagged in the October photos' }],
    accessWorkerComments: 'Profile largely public.',
    assessment: { summary: 'Contradicts the claimed separation.', usefulPieces: 3, uniquePieces: 2, contribution: 'considerable', actionsTaken: 'Strategy discussion arranged.' },
  },
  feedback: null,
  linkedFromRequestId: null,
  sharedWith: [],
  createdAt: '2026-11-20T08:00:00Z',
  updatedAt: '2026-11-25T12:00:00Z',
  submittedAt: '2026-11-20T08:30:00Z',
  closedAt: null,
};

export const evidence: EvidenceItem[] = [
  {
    id: 'ev-1',
    requestId: 'req-1',
    subjectId: 's1',
    fileName: 'evidence-0001.png',
    contentType: 'image/png',
    size: 1234,
    sha256: 'a'.repeat(64),
    storageKey: 'sharepoint:01ABC',
    webUrl: 'https://contoso.sharepoint.com/sites/evidence/Evidence/CASE-77/SMC-2026-000042/evidence-0001.png',
    sourceUrl: 'https://www.facebook.com/jane.example/photos/1',
    capturedAt: '2026-11-24T10:20:00Z',
    capturedBy: 'aaw',
    description: 'Photo of Jane and Mr Z at a party.',
    publiclyVisible: true,
    correctsEvidenceId: null,
    correctionReason: null,
    uploadStatus: 'stored',
    createdAt: '2026-11-24T10:21:00Z',
  },
];

export const sessions: SearchSession[] = [
  { id: 'ss-1', requestId: 'req-1', accessWorkerId: 'aaw', startedAt: '2026-11-24T10:00:00Z', endedAt: '2026-11-24T10:42:30Z', durationSeconds: 2550, corporateAccount: true, subjectIds: ['s1'] },
];

