/** The pilot's figures from plain rows, against expectations worked out by hand. */
import { evaluationFigures, median, outcomeOf, type EvaluationRow } from '../../../src/domain/evaluation';

const NOW = new Date('2026-11-30T12:00:00Z');
const QUERY = { from: '2026-06-01', to: '2026-06-30', now: NOW, followUpDays: 182 };

function row(reference: string, overrides: Partial<EvaluationRow> = {}): EvaluationRow {
  return {
    requestId: `id-${reference}`,
    reference,
    team: 'North',
    originatingWorkerId: 'osw',
    accessWorkerId: null,
    state: 'awaiting_team_manager',
    closingAction: null,
    closingReason: null,
    kind: null,
    milestones: { submitted: '2026-06-02T09:00:00.000Z' },
    searchSeconds: 0,
    searchSessions: 0,
    usefulPieces: null,
    uniquePieces: null,
    contribution: null,
    feedbackGiven: false,
    followUp: null,
    ...overrides,
  };
}

/** A request taken through every step: 2 h, 24 h, 3 h, 1 h, 4 h and 30 min apart. */
const shared = (reference: string, overrides: Partial<EvaluationRow> = {}) =>
  row(reference, {
    state: 'shared',
    closingAction: 'share',
    accessWorkerId: 'aw1',
    kind: 'one_off',
    milestones: {
      submitted: '2026-06-02T09:00:00.000Z',
      agreed: '2026-06-02T11:00:00.000Z',
      authorised: '2026-06-03T11:00:00.000Z',
      claimed: '2026-06-03T14:00:00.000Z',
      searched: '2026-06-03T15:00:00.000Z',
      finalised: '2026-06-03T19:00:00.000Z',
      shared: '2026-06-03T19:30:00.000Z',
    },
    searchSeconds: 45 * 60,
    searchSessions: 1,
    usefulPieces: 3,
    uniquePieces: 2,
    contribution: 'considerable',
    feedbackGiven: true,
    ...overrides,
  });

describe('evaluation figures', () => {
  test('an empty period gives zeros and no medians, not errors', () => {
    const figures = evaluationFigures([shared('A', { milestones: { submitted: '2026-07-01T09:00:00.000Z' } })], QUERY);
    expect(figures.uses).toEqual({ requests: 0, byTeam: [], byAccessWorker: [] });
    expect(figures.outcomes.counts).toEqual({ open: 0, shared: 0, declined: 0, refused: 0, withdrawn: 0, cancelled: 0, lapsed: 0 });
    expect(figures.time.perRequestMinutes).toEqual({ count: 0, median: null, min: null, max: null });
    expect(figures.turnaround.every((t) => t.count === 0 && t.median === null)).toBe(true);
    expect(figures.criteria).toEqual({
      notOtherwiseAvailable: { assessed: 0, withUniquePieces: 0, share: null, uniquePieces: 0 },
      valueToAssessment: { assessed: 0, considerableOrSignificant: 0, share: null },
      proportionateTime: { medianSearchMinutes: null, minutesPerUsefulPiece: null },
    });
    expect(figures.byMonth).toEqual([]);
  });

  test('uses, outcomes and reasons: open, withdrawn, cancelled, lapsed, declined and refused requests', () => {
    const rows = [
      shared('A'),
      shared('B', { accessWorkerId: 'aw2', team: 'South', searchSeconds: 90 * 60, searchSessions: 2, usefulPieces: 1, uniquePieces: 0, contribution: 'little' }),
      row('C'), // still open, awaiting the team manager
      row('D', { state: 'cancelled', closingAction: 'withdraw', closingReason: 'Family moved away' }),
      row('E', { state: 'cancelled', closingAction: 'cancel', closingReason: 'No longer proportionate' }),
      row('F', { state: 'expired', closingAction: 'expire', closingReason: 'The authorisation was not used by 30/06/2026.' }),
      row('G', { state: 'declined', closingAction: 'decline', closingReason: 'Not discussed in supervision' }),
      row('H', { state: 'refused', closingAction: 'refuse', closingReason: 'Other checks first' }),
      row('I', { state: 'searching', accessWorkerId: 'aw1', searchSeconds: 15 * 60, searchSessions: 1 }),
      row('Z', { milestones: {} }), // a draft never submitted is not a use
    ];
    const figures = evaluationFigures(rows, QUERY);
    expect(figures.uses.requests).toBe(9);
    expect(figures.uses.byTeam).toEqual([
      { team: 'North', requests: 8 },
      { team: 'South', requests: 1 },
    ]);
    expect(figures.uses.byAccessWorker).toEqual([
      { accessWorkerId: 'aw1', requests: 2, searchMinutes: 60 },
      { accessWorkerId: 'aw2', requests: 1, searchMinutes: 90 },
    ]);
    expect(figures.outcomes.counts).toEqual({ open: 2, shared: 2, declined: 1, refused: 1, withdrawn: 1, cancelled: 1, lapsed: 1 });
    expect(figures.outcomes.notProceeding).toEqual([
      { reference: 'D', outcome: 'withdrawn', reason: 'Family moved away' },
      { reference: 'E', outcome: 'cancelled', reason: 'No longer proportionate' },
      { reference: 'F', outcome: 'lapsed', reason: 'The authorisation was not used by 30/06/2026.' },
      { reference: 'G', outcome: 'declined', reason: 'Not discussed in supervision' },
      { reference: 'H', outcome: 'refused', reason: 'Other checks first' },
    ]);
    // Search time: 45 + 90 + 15 minutes over 4 sessions; per searched request 15, 45, 90 → median 45.
    expect(figures.time.totalSearchMinutes).toBe(150);
    expect(figures.time.sessions).toBe(4);
    expect(figures.time.perRequestMinutes).toEqual({ count: 3, median: 45, min: 15, max: 90 });
    expect(figures.time.buckets.map((b) => b.requests)).toEqual([1, 1, 1, 0, 0]);
  });

  test('turnaround of every step counts only requests that reached both ends', () => {
    const slow = shared('B', {
      milestones: { ...shared('B').milestones, agreed: '2026-06-02T15:00:00.000Z' }, // 6 h to agree, then 20 h to authorise
    });
    const open = row('C', { state: 'awaiting_service_director', milestones: { submitted: '2026-06-04T09:00:00.000Z', agreed: '2026-06-05T09:00:00.000Z' } });
    const figures = evaluationFigures([shared('A'), slow, open], QUERY);
    expect(figures.turnaround.map((t) => [t.from, t.to, t.count, t.median])).toEqual([
      ['submitted', 'agreed', 3, 6], // 2, 6 and 24 hours
      ['agreed', 'authorised', 2, 22], // 24 and 20
      ['authorised', 'claimed', 2, 3],
      ['claimed', 'searched', 2, 1],
      ['searched', 'finalised', 2, 4],
      ['finalised', 'shared', 2, 0.5],
    ]);
  });

  test('useful and unique pieces, contribution and the three criteria', () => {
    const rows = [
      shared('A'), // 45 min, 3 useful, 2 unique, considerable
      shared('B', { searchSeconds: 30 * 60, usefulPieces: 1, uniquePieces: 0, contribution: 'little' }),
      shared('C', { searchSeconds: 120 * 60, usefulPieces: 4, uniquePieces: 4, contribution: 'significant' }),
      row('D', { state: 'searching', searchSeconds: 600, searchSessions: 1 }), // not yet assessed
    ];
    const figures = evaluationFigures(rows, QUERY);
    expect(figures.value).toEqual({
      assessed: 3,
      usefulPieces: 8,
      uniquePieces: 6,
      requestsWithUniquePieces: 2,
      contribution: { little: 1, some: 0, considerable: 1, significant: 1 },
    });
    expect(figures.criteria).toEqual({
      notOtherwiseAvailable: { assessed: 3, withUniquePieces: 2, share: 0.667, uniquePieces: 6 },
      valueToAssessment: { assessed: 3, considerableOrSignificant: 2, share: 0.667 },
      // Searched requests: 10, 30, 45, 120 min → median 37.5; assessed time 195 min over 8 useful pieces.
      proportionateTime: { medianSearchMinutes: 37.5, minutesPerUsefulPiece: 24.4 },
    });
    expect(figures.timeAgainstContribution).toEqual([
      { contribution: 'little', requests: 1, medianSearchMinutes: 30 },
      { contribution: 'some', requests: 0, medianSearchMinutes: null },
      { contribution: 'considerable', requests: 1, medianSearchMinutes: 45 },
      { contribution: 'significant', requests: 1, medianSearchMinutes: 120 },
    ]);
  });

  test('the six-month follow-up falls due 182 days after sharing', () => {
    const early = shared('A'); // shared 03/06/2026: due 02/12/2026, after NOW
    const due = shared('B', { milestones: { ...shared('B').milestones, shared: '2026-05-30T10:00:00.000Z' } });
    const given = shared('C', { milestones: { ...shared('C').milestones, shared: '2026-05-29T10:00:00.000Z' }, followUp: 'significant' });
    const figures = evaluationFigures([early, due, given], QUERY);
    expect(figures.followUp).toEqual({ due: 2, given: 1, outstanding: 1, longerTermUsefulness: { little: 0, some: 0, considerable: 0, significant: 1 } });
    const later = evaluationFigures([early, due, given], { ...QUERY, now: new Date('2026-12-03T00:00:00Z') });
    expect(later.followUp.due).toBe(3);
  });

  test('trends by month (London time) and team, and the team filter', () => {
    const rows = [
      shared('A'),
      row('B', { team: 'South', milestones: { submitted: '2026-06-30T23:30:00.000Z' } }), // 1 July in London
      row('C', { team: null, milestones: { submitted: '2026-06-15T09:00:00.000Z' } }),
    ];
    const figures = evaluationFigures(rows, { ...QUERY, to: '2026-07-31' });
    expect(figures.byMonth).toEqual([
      { month: '2026-06', requests: 2, completed: 1, searchMinutes: 45, uniquePieces: 2 },
      { month: '2026-07', requests: 1, completed: 0, searchMinutes: 0, uniquePieces: 0 },
    ]);
    expect(figures.byTeam.map((t) => [t.team, t.requests, t.considerableOrSignificant])).toEqual([
      ['No team recorded', 1, 0],
      ['North', 1, 1],
      ['South', 1, 0],
    ]);
    expect(evaluationFigures(rows, { ...QUERY, team: 'North' }).uses.requests).toBe(1);
    expect(evaluationFigures(rows, QUERY).uses.requests).toBe(2); // B falls in July
  });

  test('median and outcome helpers', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(outcomeOf({ state: 'cancelled', closingAction: 'resolve-doubt' })).toBe('cancelled');
  });
});
