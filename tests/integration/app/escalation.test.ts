/**
 * A decision left waiting longer than ESCALATE_AFTER_WORKING_DAYS working days (Monday to Friday)
 * is escalated to the service manager for the case's team, once per waiting decision — however
 * often the sweep runs, and when two instances sweep at the same moment (PostgreSQL).
 */
import type { AppDeps } from '../../../src/app/deps';
import { escalateWaitingDecisions } from '../../../src/app/requests/escalate-waiting';
import type { SqlStore } from '../../../src/store';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { requestBody } from '../api/helpers';

describe.each(BACKENDS)('escalation on %s', (backend) => {
  let api: ApiHarness;
  let second: SqlStore | null = null;
  // Monday.
  let now = new Date('2026-11-30T09:00:00Z');
  const settings = { escalateAfterWorkingDays: 5 };
  beforeAll(async () => {
    api = await startApi(backend, { clock: { now: () => now } });
    // A second instance on the same database (PGlite allows one process per directory).
    if (backend === 'PostgreSQL') second = await api.database.open();
  });
  afterAll(async () => {
    await second?.close();
    await api.close();
  });

  const instances = (): AppDeps[] => [api.server.deps, ...(second ? [{ ...api.server.deps, store: second }] : [])];
  const sweepTwice = async () => {
    let escalated = 0;
    for (let round = 0; round < 2; round += 1) {
      for (const count of await Promise.all(instances().map((deps) => escalateWaitingDecisions(deps, settings)))) escalated += count;
    }
    return escalated;
  };

  test('after five working days waiting, the service manager is told once; then again once for the next decision', async () => {
    const t = await api.tokens('amelia.hart', 'tom.reid');
    const created = await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody({ neededBy: '2027-01-20' }) });
    const id = created.body.id as string;
    expect((await api.call('POST', `/api/requests/${id}/actions/submit`, { token: t['amelia.hart'], body: { version: 1 } })).status).toBe(200);

    // Five working days later (the weekend not counted) it has waited five, not more.
    now = new Date('2026-12-07T09:00:00Z');
    expect(await sweepTwice()).toBe(0);
    now = new Date('2026-12-08T09:00:00Z');
    expect(await sweepTwice()).toBe(1);
    expect(await sweepTwice()).toBe(0);

    const outbox = await api.server.store.read.outbox.listForRequest(id);
    const escalations = () => outbox.filter((m) => m.kind === 'decision_escalated');
    // Grace Lee manages Tom Reid, the team manager: she is the service manager for the case's team.
    expect(escalations().map((m) => [m.recipientId, m.payload.stage, m.payload.waitingSince])).toEqual([['grace.lee', 'team_manager', '2026-11-30T09:00:00.000Z']]);
    const audit = (await api.server.store.read.audit.listForRequest(id)).filter((e) => e.action === 'escalate');
    expect(audit.map((e) => [e.actorId, e.detail])).toEqual([
      ['system', { stage: 'team_manager', waitingSince: '2026-11-30T09:00:00.000Z', serviceManagers: ['grace.lee'] }],
    ]);

    // The team manager agrees; the director's decision waits in its turn.
    expect((await api.call('POST', `/api/requests/${id}/actions/agree`, { token: t['tom.reid'], body: { version: 2, note: 'Discussed in supervision.' } })).status).toBe(200);
    now = new Date('2026-12-15T09:00:00Z');
    expect(await sweepTwice()).toBe(0);
    now = new Date('2026-12-16T09:00:00Z');
    expect(await sweepTwice()).toBe(1);
    const after = (await api.server.store.read.outbox.listForRequest(id)).filter((m) => m.kind === 'decision_escalated');
    expect(after.map((m) => [m.recipientId, m.payload.stage])).toEqual([
      ['grace.lee', 'team_manager'],
      ['grace.lee', 'service_director'],
    ]);
  });
});
