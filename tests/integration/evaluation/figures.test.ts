/** GET /api/evaluation: figures from seeded workflows equal the values worked out by hand, on both databases. */
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { seedWorkflows, type SeedClock, type Seeded } from './seed';

describe.each(BACKENDS)('evaluation figures on %s', (backend) => {
  let api: ApiHarness;
  let seeded: Seeded;
  const clock: SeedClock = { now: new Date('2026-06-01T09:00:00Z') };
  beforeAll(async () => {
    api = await startApi(backend, { clock: { now: () => clock.now } });
    seeded = await seedWorkflows(api, clock);
  }, 240_000);
  afterAll(async () => api.close());

  const june = '/api/evaluation?from=2026-06-01&to=2026-06-30';

  test('uses, outcomes and their reasons', async () => {
    const { status, body } = await api.call('GET', june, { token: seeded.tokens['grace.lee'] });
    expect(status).toBe(200);
    expect(body.uses).toEqual({
      requests: 7,
      byTeam: [{ team: 'Assessment Team North', requests: 7 }],
      byAccessWorker: [{ accessWorkerId: 'hannah.cole', displayName: 'Hannah Cole', requests: 1, searchMinutes: 45 }],
    });
    expect(body.outcomes).toEqual({
      counts: { open: 1, shared: 1, declined: 1, refused: 1, withdrawn: 1, cancelled: 1, lapsed: 1 },
      // Counted per outcome, each with its reasons: no list of requests.
      notProceeding: [
        { outcome: 'declined', requests: 1, reasons: [{ reason: 'Not yet discussed in supervision', requests: 1 }], otherReasons: 0 },
        { outcome: 'refused', requests: 1, reasons: [{ reason: 'Try the school first', requests: 1 }], otherReasons: 0 },
        { outcome: 'withdrawn', requests: 1, reasons: [{ reason: 'Family moved out of the area', requests: 1 }], otherReasons: 0 },
        { outcome: 'cancelled', requests: 1, reasons: [{ reason: 'Court hearing moved', requests: 1 }], otherReasons: 0 },
        { outcome: 'lapsed', requests: 1, reasons: [{ reason: 'The authorisation was not used by 09/07/2026.', requests: 1 }], otherReasons: 0 },
      ],
    });
  });

  test('search time, turnaround of every step, value and the criteria', async () => {
    const { body } = await api.call('GET', june, { token: seeded.tokens['sarah.mitchell'] });
    expect(body.time).toMatchObject({ totalSearchMinutes: 45, sessions: 1, perRequestMinutes: { count: 1, median: 45 } });
    const turnaround = (body.turnaround as { from: string; to: string; count: number; median: number }[]).map((t) => [t.from, t.to, t.count, t.median]);
    expect(turnaround).toEqual([
      // Agreed: the shared one after 2 h, refused 1 h, cancelled 1 h, lapsed 1 h, open 6 h → median 1.
      ['submitted', 'agreed', 5, 1],
      // Authorised: shared 24 h, lapsed 2 h → median 13.
      ['agreed', 'authorised', 2, 13],
      ['authorised', 'claimed', 1, 3],
      ['claimed', 'searched', 1, 1],
      ['searched', 'finalised', 1, 4],
      ['finalised', 'shared', 1, 0.5],
    ]);
    // The feedback form's answers (4, 3, significant) count over the log's assessment (3, 2, considerable).
    expect(body.value).toEqual({ assessed: 1, usefulPieces: 4, uniquePieces: 3, requestsWithUniquePieces: 1, contribution: { little: 0, some: 0, considerable: 0, significant: 1 } });
    expect(body.criteria).toEqual({
      notOtherwiseAvailable: { assessed: 1, withUniquePieces: 1, share: 1, uniquePieces: 3 },
      valueToAssessment: { assessed: 1, considerableOrSignificant: 1, share: 1 },
      proportionateTime: { medianSearchMinutes: 45, minutesPerUsefulPiece: 11.3 },
    });
    expect(body.followUp).toEqual({ due: 0, given: 0, outstanding: 0, longerTermUsefulness: { little: 0, some: 0, considerable: 0, significant: 0 } });
    expect(body.byMonth).toEqual([{ month: '2026-06', requests: 7, completed: 1, searchMinutes: 45, uniquePieces: 3 }]);
  });

  test('an empty period and a team with no requests give zeros', async () => {
    const may = await api.call('GET', '/api/evaluation?from=2026-05-01&to=2026-05-31', { token: seeded.tokens['grace.lee'] });
    expect(may.body.uses).toEqual({ requests: 0, byTeam: [], byAccessWorker: [] });
    const team = await api.call('GET', `${june}&team=Nobody`, { token: seeded.tokens['grace.lee'] });
    expect((team.body.uses as { requests: number }).requests).toBe(0);
    const both = await api.call('GET', '/api/evaluation?from=2026-06-01&to=2026-07-31', { token: seeded.tokens['grace.lee'] });
    expect((both.body.uses as { requests: number }).requests).toBe(8);
  });

  test('the six-month follow-up falls due with the clock', async () => {
    clock.now = new Date('2026-12-02T09:00:00Z'); // shared 03/06/2026 19:30: due 182 days later
    expect((await api.call('GET', june, { token: seeded.tokens['grace.lee'] })).body.followUp).toMatchObject({ due: 0, outstanding: 0 });
    clock.now = new Date('2026-12-03T09:00:00Z');
    expect((await api.call('GET', june, { token: seeded.tokens['grace.lee'] })).body.followUp).toMatchObject({ due: 1, outstanding: 1 });
    await api.call('PUT', `/api/requests/${seeded.ids.shared}/feedback`, {
      token: seeded.tokens['amelia.hart'],
      body: { timesUsed: 1, usefulPieces: 3, uniquePieces: 2, contribution: 'considerable', followUp: { longerTermUsefulness: 'significant' } },
    });
    expect((await api.call('GET', june, { token: seeded.tokens['grace.lee'] })).body.followUp).toEqual({
      due: 1,
      given: 1,
      outstanding: 0,
      longerTermUsefulness: { little: 0, some: 0, considerable: 0, significant: 1 },
    });
  });

  test('only service managers and directors see it; bad periods name the field', async () => {
    const osw = await api.call('GET', june, { token: seeded.tokens['amelia.hart'] });
    expect(osw.status).toBe(403);
    const bad = await api.call('GET', '/api/evaluation?from=2026-06-31&to=2026-07-01', { token: seeded.tokens['grace.lee'] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error?.fields ?? {})).toEqual(['from']);
    const reversed = await api.call('GET', '/api/evaluation?from=2026-06-02&to=2026-06-01', { token: seeded.tokens['grace.lee'] });
    expect(reversed.body.error?.fields).toEqual({ to: 'The end of the period must be on or after its start.' });
  });
});
