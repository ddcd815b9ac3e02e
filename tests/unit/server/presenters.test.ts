/**
 * The presenters of administration, evaluation, pilot settings, disclosure and retention build each
 * field of their answer by name: whatever else the use case's result carries (a directory row's
 * object id, a stored JSON field, what a tally adds) is not in the answer, and the answer is exactly
 * its response schema.
 */
import { directoryViewSchema, registerViewSchema } from '../../../src/contracts/admin';
import { disclosureSchema, evaluationSchema, pilotSettingsViewSchema } from '../../../src/contracts/evaluation';
import { retentionItemSchema, retentionReviewSchema } from '../../../src/contracts/retention';
import { evaluationFigures, type EvaluationTallies } from '../../../src/domain/evaluation';
import { presentDirectory, presentRegister } from '../../../src/server/presenters/admin';
import { presentDisclosure, presentEvaluation, presentPilotSettings } from '../../../src/server/presenters/evaluation';
import { operationsViewSchema } from '../../../src/contracts/operations';
import { presentOperations } from '../../../src/server/presenters/operations';
import { presentRetention, presentRetentionReview } from '../../../src/server/presenters/retention';

/** Every object key at any depth. */
function keys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keys);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => [key, ...keys(v)]);
}

/** A result as a use case might hand it over, with fields of the server's own beside the answer's. */
const withInternals = <T extends object>(value: T, internals: Record<string, unknown>): T => ({ ...value, ...internals });

const run = {
  id: 'run-1',
  startedAt: '2026-11-30T09:00:00.000Z',
  finishedAt: '2026-11-30T09:00:05.000Z',
  trigger: 'schedule' as const,
  requestedBy: null,
  status: 'succeeded' as const,
  added: 1,
  changed: 0,
  removed: 0,
  flaggedRequests: 0,
  problems: [withInternals({ kind: 'roles_not_combined' as const, aadObjectId: 'aad-1', displayName: 'Dual Role', groups: ['team_manager' as const, 'access_worker' as const], withheld: 'access_worker' as const, reason: 'Not both.' }, { groupIds: ['g-1'] })],
  error: null,
};

test('the directory answers each person’s listed fields, not their directory row', () => {
  const answer = presentDirectory({
    people: [withInternals({ id: 'p1', displayName: 'Ann Lee', email: null, roles: ['social_worker' as const], manager: 'Ben Ode', active: true }, { aadObjectId: 'aad-p1', managerId: 'p2', accessWorkerTrainedOn: '2026-01-01' })],
    lastSync: withInternals(run, { log: 'raw Graph response' }),
    lastSucceeded: null,
    failuresSinceLastSuccess: 0,
  });
  expect(Object.keys(answer.people[0] ?? {}).sort()).toEqual(['active', 'displayName', 'email', 'id', 'manager', 'roles']);
  expect(keys(answer)).not.toContain('managerId');
  expect(keys(answer)).not.toContain('accessWorkerTrainedOn');
  expect(keys(answer)).not.toContain('log');
  expect(keys(answer)).not.toContain('groupIds');
  expect(directoryViewSchema.parse(answer)).toEqual(answer);
  // The sync problem's own object id is part of the answer: the administrator needs it to find the person in Entra ID.
  expect(answer.lastSync?.problems[0]?.aadObjectId).toBe('aad-1');
});

test('the register answers its entries’ listed fields only', () => {
  const answer = presentRegister({
    limit: 6,
    authorised: 1,
    entries: [withInternals({ id: 'aw1', displayName: 'Cara Dunn', trainedOn: '2026-01-10', authorisedUntil: null, status: 'authorised' as const }, { aadObjectId: 'aad-aw1', roles: ['access_worker'] })],
  });
  expect(keys(answer)).not.toContain('aadObjectId');
  expect(keys(answer)).not.toContain('roles');
  expect(registerViewSchema.parse(answer)).toEqual(answer);
});

const retentionItem = () => ({
  request: withInternals({ id: 'r1', reference: 'SMC-2019-000001', state: 'closed' as const, closedAt: '2019-05-01T10:00:00.000Z', disposedAt: null, team: 'North' }, { form: { children: [{ name: 'Child' }] } }),
  retention: {
    lawfulBasis: 'UK GDPR Article 6(1)(e)',
    rule: 'Kept for 6 years from closure.',
    retainUntil: '2025-05-01',
    status: 'on_hold' as const,
    // Stored as JSON: whatever was written with it comes back with it.
    legalHold: withInternals({ by: 'grace.lee', at: '2026-10-01T10:00:00.000Z', reason: 'Complaint' }, { httpRequestId: 'req-9' }),
    proposal: null,
    disposal: null,
  },
  filesToRemove: 2,
});

test('retention answers how many files are still to go and the listed fields of the hold, not what the records hold besides', () => {
  const stored = withInternals(retentionItem(), { record: { filesToRemove: ['evidence/r1/a.png', 'documents/r1/log.docx'] } });
  const answer = presentRetention(stored);
  expect(keys(answer)).not.toContain('record');
  expect(keys(answer)).not.toContain('form');
  expect(keys(answer)).not.toContain('httpRequestId');
  expect(JSON.stringify(answer)).not.toContain('evidence/r1');
  expect(answer.filesToRemove).toBe(2);
  expect(retentionItemSchema.parse(answer)).toEqual(answer);

  const review = presentRetentionReview({
    today: '2026-11-30',
    schedule: { shared: 72, declined: 24, refused: 24, cancelled: 24, expired: 24 },
    lawfulBasis: 'UK GDPR Article 6(1)(e)',
    due: [],
    proposed: [],
    onHold: [stored],
    filesToRemove: [],
  });
  expect(keys(review)).not.toContain('httpRequestId');
  expect(retentionReviewSchema.parse(review)).toEqual(review);
});

test('the evaluation answers the figures by name, not what a tally carries besides', () => {
  const contribution = { requests: 0, medianSearchSeconds: null };
  const tallies: EvaluationTallies = {
    requests: 1,
    states: [{ state: 'closed', closingAction: null, requests: 1 }],
    reasons: [],
    search: { seconds: 600, sessions: 1, perRequestSeconds: { count: 1, median: 600, min: 600, max: 600 }, buckets: [1, 0, 0, 0, 0] },
    turnaroundMs: [],
    value: { assessed: 0, usefulPieces: 0, uniquePieces: 0, requestsWithUniquePieces: 0, assessedSearchSeconds: 0, contribution: { little: contribution, some: contribution, considerable: contribution, significant: contribution } },
    // The store's tally is handed on as it is: here it also names the requests it counted.
    followUp: withInternals({ due: 1, given: 0, outstanding: 1, longerTermUsefulness: { little: 0, some: 0, considerable: 0, significant: 0 } }, { requestIds: ['r1'] }),
    byMonth: [{ month: '2026-11', requests: 1, completed: 1, searchSeconds: 600, uniquePieces: 0 }],
    byTeam: [{ team: 'North', requests: 1, completed: 1, searchSeconds: 600, uniquePieces: 0, considerableOrSignificant: 0 }],
    byAccessWorker: [{ accessWorkerId: 'aw1', requests: 1, searchSeconds: 600 }],
    teams: ['North'],
  };
  const figures = evaluationFigures(tallies, { from: '2026-11-01', to: '2026-11-30' });
  expect(keys(figures)).toContain('requestIds');
  const answer = presentEvaluation({
    ...figures,
    uses: { ...figures.uses, byAccessWorker: figures.uses.byAccessWorker.map((w) => ({ ...w, displayName: 'Cara Dunn' })) },
    survey: { answers: 0, medianEase: null, medianEffectiveness: null, ease: [0, 0, 0, 0, 0], effectiveness: [0, 0, 0, 0, 0] },
    teams: tallies.teams,
  });
  expect(keys(answer)).not.toContain('requestIds');
  expect(answer.followUp).toEqual({ due: 1, given: 0, outstanding: 1, longerTermUsefulness: { little: 0, some: 0, considerable: 0, significant: 0 } });
  expect(evaluationSchema.parse(answer)).toEqual(answer);
});

test('pilot settings and a disclosure answer their listed fields only', () => {
  const settings = presentPilotSettings(withInternals({ startDate: '2026-06-01', lengthMonths: 6, platforms: ['facebook' as const], registerSize: 6, endDate: '2026-11-30' }, { updatedBy: 'admin', updatedAt: '2026-06-01T09:00:00.000Z' }));
  expect(Object.keys(settings).sort()).toEqual(['endDate', 'lengthMonths', 'platforms', 'registerSize', 'startDate']);
  expect(pilotSettingsViewSchema.parse(settings)).toEqual(settings);

  const disclosure = presentDisclosure(
    withInternals(
      { id: 'd1', requestedAt: '2026-11-30T09:00:00.000Z', requests: [withInternals({ id: 'r1', reference: 'SMC-2026-000001' }, { subjectIds: ['s1'] })] },
      { query: { name: 'Jo Bloggs', dateOfBirth: '1990-01-01' } },
    ),
  );
  expect(keys(disclosure)).not.toContain('query');
  expect(keys(disclosure)).not.toContain('subjectIds');
  expect(JSON.stringify(disclosure)).not.toContain('Bloggs');
  expect(disclosureSchema.parse(disclosure)).toEqual(disclosure);
});

test('failed work answers a pending upload by its retry key and file name, not its library path, metadata or hash', () => {
  const upload = {
    key: '6f1c2a4e-0000-4000-8000-000000000001',
    requestId: 'req-1',
    requestReference: 'SMC-2026-0001',
    caseReference: 'CASE-SECRET-1',
    drivePath: 'CASE-SECRET-1/SMC-2026-0001/screenshot.png',
    contentType: 'image/png',
    metadata: null,
    size: 2048,
    sha256: 'ab'.repeat(32),
    createdAt: '2026-11-30T09:00:00.000Z',
    driveItemId: 'drive-item-1',
    webUrl: 'https://contoso.sharepoint.com/sites/evidence/item',
    attempts: 2,
    lastError: 'SharePoint answered 503',
    status: 'pending' as const,
    notBefore: '2026-11-30T09:05:00.000Z',
  };
  const notification = withInternals(
    { id: 'n-1', requestId: 'req-1', requestReference: 'SMC-2026-0001', recipientId: 'p-1', recipientName: 'Amelia Hart', kind: 'agree_request', attempts: 5, lastError: 'no conversation', createdAt: '2026-11-30T08:00:00.000Z' },
    { payload: { concern: 'what the card carried' } },
  );
  const answer = presentOperations([notification], [upload]);
  expect(operationsViewSchema.strict().parse(answer)).toEqual(answer);
  expect(answer.pendingUploads).toEqual([
    { storageKey: `pending:${upload.key}`, requestId: 'req-1', requestReference: 'SMC-2026-0001', fileName: 'screenshot.png', size: 2048, status: 'pending', attempts: 2, lastError: 'SharePoint answered 503', notBefore: upload.notBefore, createdAt: upload.createdAt },
  ]);
  expect(keys(answer)).not.toEqual(expect.arrayContaining(['payload']));
  expect(JSON.stringify(answer)).not.toContain('CASE-SECRET-1');
});
