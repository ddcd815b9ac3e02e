/** People and requests in every state, for the engine's tests. */
import type { InvestigationRequest } from '../../../src/domain/request';
import type { Person } from '../../../src/domain/roles';
import type { RequestState } from '../../../src/domain/states';

export const NOW = new Date('2026-11-25T10:00:00Z');

const p = (id: string, roles: Person['roles'], extra: Partial<Person> = {}): Person => ({
  id,
  displayName: id,
  aadObjectId: `oid-${id}`,
  roles,
  managerId: null,
  active: true,
  // Access workers are on the register with their training recorded (DESIGN.md §1).
  ...(roles.includes('access_worker') ? { accessWorkerTrainedOn: '2026-01-05' } : {}),
  ...extra,
});

/**
 * `osw` also holds the access-worker role and `tm` also holds the service-director role, so the
 * one-role-per-request rule is exercised by people who really hold two roles.
 */
export const PEOPLE = {
  osw: p('osw', ['social_worker', 'access_worker'], { managerId: 'tm' }),
  tm: p('tm', ['team_manager', 'service_director', 'social_worker']),
  sd: p('sd', ['service_director']),
  sd2: p('sd2', ['service_director', 'access_worker']),
  sm: p('sm', ['service_manager']),
  aaw: p('aaw', ['access_worker']),
  aaw2: p('aaw2', ['access_worker']),
  admin: p('admin', ['administrator']),
  stranger: p('stranger', ['social_worker'], { managerId: 'tm' }),
  // A team manager named today as tm's deputy.
  deputy: p('deputy', ['team_manager'], { standsInFor: ['tm'] }),
} satisfies Record<string, Person>;
export type PersonaName = keyof typeof PEOPLE;
export const PERSONAS = Object.keys(PEOPLE) as PersonaName[];

const SUBJECTS = [
  { id: 's1', kind: 'service_user' as const, name: 'Jane Doe' },
  { id: 's2', kind: 'unknown_associate' as const, description: 'A man seen in photographs' },
];

export function requestIn(state: RequestState, options: { monitoring?: boolean } = {}): InvestigationRequest {
  const monitoring = options.monitoring ?? true;
  const order: RequestState[] = ['draft', 'awaiting_team_manager', 'awaiting_service_director', 'authorised', 'assigned', 'searching', 'with_originating_worker', 'finalised', 'shared', 'closed'];
  const stage = state === 'on_hold' ? order.indexOf('searching') : order.indexOf(state);
  const reached = (s: RequestState) => stage >= order.indexOf(s) || ['declined', 'refused', 'cancelled', 'expired'].includes(state);
  const at = '2026-11-20T09:00:00.000Z';
  const submitted = reached('awaiting_team_manager');
  const agreed = reached('awaiting_service_director') && state !== 'declined';
  const authorised = reached('authorised') && !['declined', 'refused'].includes(state);
  const assigned = reached('assigned') && !['declined', 'refused', 'cancelled', 'expired'].includes(state);
  return {
    id: '11111111-1111-4111-8111-111111111111',
    reference: 'SMC-2026-000001',
    state,
    version: 7,
    form: {
      caseReference: 'CM-1',
      children: [{ name: 'Child A', dateOfBirth: undefined }],
      concernCategories: ['risky_behaviour'],
      concernOther: undefined,
      concernDetails: 'Concern',
      justification: 'Why',
      subjects: SUBJECTS.map((s) => ({ otherNames: undefined, dateOfBirth: undefined, area: undefined, relationshipToChild: undefined, profileUrl: undefined, name: undefined, description: undefined, ...s })),
      period: { from: '2026-06-01', to: '2026-11-01' },
      monitoring: monitoring ? { justification: 'Ongoing risk', frequency: 'monthly', endDate: '2027-03-01' } : null,
      urgency: 'routine',
      neededBy: '2026-12-20',
      team: undefined,
      linkedFromRequestId: undefined,
    },
    originatingWorkerId: 'osw',
    teamManagerId: submitted ? 'tm' : null,
    agreement: agreed ? { by: 'tm', at } : null,
    authorisation: authorised
      ? {
          by: 'sd',
          at,
          scope: {
            subjectIds: ['s1', 's2'],
            period: { from: '2026-06-01', to: '2026-11-01' },
            kind: monitoring ? 'monitoring' : 'one_off',
            ...(monitoring ? { monitoring: { frequency: 'monthly', endDate: '2027-03-01', reviewDates: ['2026-12-15'], nextReviewOn: '2026-12-15' } } : {}),
            useBy: '2026-12-18T09:00:00.000Z',
          },
        }
      : null,
    designatedAccessWorkerId: null,
    accessWorkerId: assigned ? 'aaw' : null,
    doubtResolvers: [],
    returnedBy: [],
    stateBeforeHold: state === 'on_hold' ? 'searching' : null,
    doubts: state === 'on_hold' ? [{ raisedBy: 'aaw', raisedAs: 'access_worker', raisedAt: at, reason: 'Unsure of the reason', serviceManagerView: null, resolution: null }] : [],
    // Closed once the documents are on the case record; a cancelled or lapsed request here stands for one stopped after evidence, waiting for them.
    caseRecordPlacement: state === 'closed' ? { by: 'osw', at } : null,
    lastReason: null,
    firstSearchStartedAt: reached('searching') ? at : null,
    log: reached('searching')
      ? {
          findings: [
            { subjectId: 's1', visibility: 'public', profileUrl: 'https://www.facebook.com/jane', summary: 'Photos' },
            { subjectId: 's2', visibility: 'not_found', profileUrl: undefined, summary: 'Not found' },
          ],
          furtherPersons: [],
          accessWorkerComments: undefined,
          ...(reached('with_originating_worker') ? { assessment: { summary: 'Useful', usefulPieces: 2, uniquePieces: 1, contribution: 'some' as const, actionsTaken: 'Discussed' } } : {}),
        }
      : null,
    feedback: null,
    linkedFromRequestId: null,
    sharedWith: [],
    createdAt: at,
    updatedAt: at,
    submittedAt: submitted ? at : null,
    closedAt: state === 'closed' ? at : null,
  };
}
