/**
 * The pilot's figures counted in the database (the evaluation projection, migration 080), against
 * expectations worked out by hand, on PGlite and on a PostgreSQL server. Each case writes requests,
 * then sets their projected rows to the times and numbers it needs (the projection itself is kept
 * from real workflows in figures.test.ts).
 */
import { sql } from 'kysely';
import { londonDate } from '../../../src/domain/dates';
import { evaluationFigures, tallyQuery, type EvaluationQuery, type EvaluationRow, type Milestone } from '../../../src/domain/evaluation';
import { projectPendingEvaluation, type SqlStore } from '../../../src/store';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { fullRequest } from '../../support/store-fixtures';

const NOW = new Date('2026-11-30T12:00:00Z');
const QUERY: EvaluationQuery = { from: '2026-06-01', to: '2026-06-30', now: NOW, followUpDays: 182 };

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

describe.each(BACKENDS)('evaluation figures counted on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  /** Replaces every request with these, projected as given. */
  async function seed(rows: EvaluationRow[]): Promise<void> {
    await sql`delete from checked_subjects`.execute(store.db);
    await sql`delete from investigation_requests`.execute(store.db);
    for (const r of rows) {
      const request = fullRequest({ reference: r.reference, authorisation: null });
      await store.read.requests.insert(request);
      // Its row is projected after the insert commits; the test then writes the row as it wants it.
      await projectPendingEvaluation(store.db);
      const m = r.milestones;
      const gap = (from: Milestone, to: Milestone) => {
        const [a, b] = [m[from], m[to]];
        return a && b ? Date.parse(b) - Date.parse(a) : null;
      };
      await store.db
        .updateTable('evaluation_facts')
        .set({
          submitted_at: m.submitted ?? null,
          submitted_month: m.submitted ? londonDate(new Date(m.submitted)).slice(0, 7) : null,
          form_team: r.team,
          team: r.team,
          originating_worker_id: r.originatingWorkerId,
          access_worker_id: r.accessWorkerId,
          state: r.state,
          closing_action: r.closingAction,
          closing_reason: r.closingReason,
          kind: r.kind,
          agreed_at: m.agreed ?? null,
          authorised_at: m.authorised ?? null,
          claimed_at: m.claimed ?? null,
          searched_at: m.searched ?? null,
          finalised_at: m.finalised ?? null,
          shared_at: m.shared ?? null,
          submitted_agreed_ms: gap('submitted', 'agreed'),
          agreed_authorised_ms: gap('agreed', 'authorised'),
          authorised_claimed_ms: gap('authorised', 'claimed'),
          claimed_searched_ms: gap('claimed', 'searched'),
          searched_finalised_ms: gap('searched', 'finalised'),
          finalised_shared_ms: gap('finalised', 'shared'),
          search_seconds: r.searchSeconds,
          search_sessions: r.searchSessions,
          useful_pieces: r.usefulPieces,
          unique_pieces: r.uniquePieces,
          contribution: r.contribution,
          feedback_given: r.feedbackGiven,
          follow_up: r.followUp,
        })
        .where('request_id', '=', request.id)
        .execute();
    }
  }

  const figures = async (query: EvaluationQuery = QUERY) => evaluationFigures(await store.evaluation.tallies(tallyQuery(query)), query);

  test('an empty period gives zeros and no medians, not errors', async () => {
    await seed([shared('A', { milestones: { submitted: '2026-07-01T09:00:00.000Z' } })]);
    const f = await figures();
    expect(f.uses).toEqual({ requests: 0, byTeam: [], byAccessWorker: [] });
    expect(f.outcomes).toEqual({ counts: { open: 0, shared: 0, declined: 0, refused: 0, withdrawn: 0, cancelled: 0, lapsed: 0 }, notProceeding: [] });
    expect(f.time.perRequestMinutes).toEqual({ count: 0, median: null, min: null, max: null });
    expect(f.turnaround.every((t) => t.count === 0 && t.median === null)).toBe(true);
    expect(f.criteria).toEqual({
      notOtherwiseAvailable: { assessed: 0, withUniquePieces: 0, share: null, uniquePieces: 0 },
      valueToAssessment: { assessed: 0, considerableOrSignificant: 0, share: null },
      proportionateTime: { medianSearchMinutes: null, minutesPerUsefulPiece: null },
    });
    expect(f.byMonth).toEqual([]);
  });

  test('uses, outcomes and reasons: open, withdrawn, cancelled, lapsed, declined and refused requests', async () => {
    await seed([
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
    ]);
    const f = await figures();
    expect(f.uses.requests).toBe(9);
    expect(f.uses.byTeam).toEqual([
      { team: 'North', requests: 8 },
      { team: 'South', requests: 1 },
    ]);
    expect(f.uses.byAccessWorker).toEqual([
      { accessWorkerId: 'aw1', requests: 2, searchMinutes: 60 },
      { accessWorkerId: 'aw2', requests: 1, searchMinutes: 90 },
    ]);
    expect(f.outcomes.counts).toEqual({ open: 2, shared: 2, declined: 1, refused: 1, withdrawn: 1, cancelled: 1, lapsed: 1 });
    const one = (reason: string) => ({ reasons: [{ reason, requests: 1 }], requests: 1, otherReasons: 0 });
    expect(f.outcomes.notProceeding).toEqual([
      { outcome: 'declined', ...one('Not discussed in supervision') },
      { outcome: 'refused', ...one('Other checks first') },
      { outcome: 'withdrawn', ...one('Family moved away') },
      { outcome: 'cancelled', ...one('No longer proportionate') },
      { outcome: 'lapsed', ...one('The authorisation was not used by 30/06/2026.') },
    ]);
    // Search time: 45 + 90 + 15 minutes over 4 sessions; per searched request 15, 45, 90 → median 45.
    expect(f.time.totalSearchMinutes).toBe(150);
    expect(f.time.sessions).toBe(4);
    expect(f.time.perRequestMinutes).toEqual({ count: 3, median: 45, min: 15, max: 90 });
    expect(f.time.buckets.map((b) => b.requests)).toEqual([1, 1, 1, 0, 0]);
  });

  test('reasons are counted: the most frequent first, the rest as other reasons', async () => {
    const withdrawn = (reference: string, closingReason: string | null) => row(reference, { state: 'cancelled', closingAction: 'withdraw', closingReason });
    await seed([
      withdrawn('A', 'Family moved away'),
      withdrawn('B', 'Family moved away'),
      withdrawn('C', null),
      ...Array.from({ length: 11 }, (_, i) => withdrawn(`R${i}`, `Reason ${String(i).padStart(2, '0')}`)),
      row('E', { state: 'cancelled', closingAction: 'resolve-doubt', closingReason: 'Doubt upheld' }),
    ]);
    const f = await figures();
    expect(f.outcomes.counts).toMatchObject({ withdrawn: 14, cancelled: 1 });
    const withdrawals = f.outcomes.notProceeding.find((n) => n.outcome === 'withdrawn');
    expect(withdrawals?.reasons).toHaveLength(10);
    expect(withdrawals?.reasons[0]).toEqual({ reason: 'Family moved away', requests: 2 });
    expect(withdrawals?.reasons.reduce((sum, r) => sum + r.requests, 0)).toBe(11);
    expect(withdrawals?.otherReasons).toBe(3);
    expect(f.outcomes.notProceeding.find((n) => n.outcome === 'cancelled')).toEqual({ outcome: 'cancelled', requests: 1, reasons: [{ reason: 'Doubt upheld', requests: 1 }], otherReasons: 0 });
  });

  test('turnaround of every step counts only requests that reached both ends', async () => {
    const slow = shared('B', {
      milestones: { ...shared('B').milestones, agreed: '2026-06-02T15:00:00.000Z' }, // 6 h to agree, then 20 h to authorise
    });
    const open = row('C', { state: 'awaiting_service_director', milestones: { submitted: '2026-06-04T09:00:00.000Z', agreed: '2026-06-05T09:00:00.000Z' } });
    await seed([shared('A'), slow, open]);
    const f = await figures();
    expect(f.turnaround.map((t) => [t.from, t.to, t.count, t.median])).toEqual([
      ['submitted', 'agreed', 3, 6], // 2, 6 and 24 hours
      ['agreed', 'authorised', 2, 22], // 24 and 20
      ['authorised', 'claimed', 2, 3],
      ['claimed', 'searched', 2, 1],
      ['searched', 'finalised', 2, 4],
      ['finalised', 'shared', 2, 0.5],
    ]);
    expect(f.turnaround[0]).toMatchObject({ min: 2, max: 24 });
  });

  test('useful and unique pieces, contribution and the three criteria', async () => {
    await seed([
      shared('A'), // 45 min, 3 useful, 2 unique, considerable
      shared('B', { searchSeconds: 30 * 60, usefulPieces: 1, uniquePieces: 0, contribution: 'little' }),
      shared('C', { searchSeconds: 120 * 60, usefulPieces: 4, uniquePieces: 4, contribution: 'significant' }),
      row('D', { state: 'searching', searchSeconds: 600, searchSessions: 1 }), // not yet assessed
    ]);
    const f = await figures();
    expect(f.value).toEqual({
      assessed: 3,
      usefulPieces: 8,
      uniquePieces: 6,
      requestsWithUniquePieces: 2,
      contribution: { little: 1, some: 0, considerable: 1, significant: 1 },
    });
    expect(f.criteria).toEqual({
      notOtherwiseAvailable: { assessed: 3, withUniquePieces: 2, share: 0.667, uniquePieces: 6 },
      valueToAssessment: { assessed: 3, considerableOrSignificant: 2, share: 0.667 },
      // Searched requests: 10, 30, 45, 120 min → median 37.5; assessed time 195 min over 8 useful pieces.
      proportionateTime: { medianSearchMinutes: 37.5, minutesPerUsefulPiece: 24.4 },
    });
    expect(f.timeAgainstContribution).toEqual([
      { contribution: 'little', requests: 1, medianSearchMinutes: 30 },
      { contribution: 'some', requests: 0, medianSearchMinutes: null },
      { contribution: 'considerable', requests: 1, medianSearchMinutes: 45 },
      { contribution: 'significant', requests: 1, medianSearchMinutes: 120 },
    ]);
  });

  test('the six-month follow-up falls due 182 days after sharing', async () => {
    const early = shared('A'); // shared 03/06/2026: due 02/12/2026, after NOW
    const due = shared('B', { milestones: { ...shared('B').milestones, shared: '2026-05-30T10:00:00.000Z' } });
    const given = shared('C', { milestones: { ...shared('C').milestones, shared: '2026-05-29T10:00:00.000Z' }, followUp: 'significant' });
    await seed([early, due, given]);
    expect((await figures()).followUp).toEqual({ due: 2, given: 1, outstanding: 1, longerTermUsefulness: { little: 0, some: 0, considerable: 0, significant: 1 } });
    expect((await figures({ ...QUERY, now: new Date('2026-12-03T00:00:00Z') })).followUp.due).toBe(3);
  });

  test('trends by month (London time) and team, and the team filter', async () => {
    await seed([
      shared('A'),
      row('B', { team: 'South', milestones: { submitted: '2026-06-30T23:30:00.000Z' } }), // 1 July in London
      row('C', { team: null, milestones: { submitted: '2026-06-15T09:00:00.000Z' } }),
    ]);
    const f = await figures({ ...QUERY, to: '2026-07-31' });
    expect(f.byMonth).toEqual([
      { month: '2026-06', requests: 2, completed: 1, searchMinutes: 45, uniquePieces: 2 },
      { month: '2026-07', requests: 1, completed: 0, searchMinutes: 0, uniquePieces: 0 },
    ]);
    expect(f.byTeam.map((t) => [t.team, t.requests, t.considerableOrSignificant])).toEqual([
      ['No team recorded', 1, 0],
      ['North', 1, 1],
      ['South', 1, 0],
    ]);
    expect((await figures({ ...QUERY, team: 'North' })).uses.requests).toBe(1);
    expect((await figures(QUERY)).uses.requests).toBe(2); // B falls in July
    const tallies = await store.evaluation.tallies(tallyQuery({ ...QUERY, team: 'North' }));
    expect(tallies.teams).toEqual(['No team recorded', 'North']);
  });
});
