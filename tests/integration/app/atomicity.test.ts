/**
 * Every step is one transaction: state change + audit entry + outbox messages, all or nothing.
 * A failure at the last write (the audit entry with the outbox messages) must leave no trace of the step.
 */
import { DEFAULT_PROTOCOL_SETTINGS } from '../../../src/domain/protocol';
import type { Store, UnitOfWork } from '../../../src/app/ports';
import type { AppDeps } from '../../../src/app/deps';
import { createRequest } from '../../../src/app/requests/create-request';
import { takeAction } from '../../../src/app/requests/take-action';
import { LocalDiskEvidenceStore } from '../../../src/evidence/local-disk';
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { requestBody } from '../api/helpers';

const person = (id: string) => {
  const found = DEMO_PEOPLE.find((p) => p.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

describe.each(BACKENDS)('all or nothing on %s', (backend) => {
  test('a failure writing the audit entry and the outbox rolls back the state change', async () => {
    const real = await openFreshStore(backend);
    try {
      for (const p of DEMO_PEOPLE) await real.people.upsert(p);
      let failWrite = false;
      const failing: Store = {
        ...real,
        transaction: (work) =>
          real.transaction((uow) => {
            const wrapped: UnitOfWork = {
              ...uow,
              audit: {
                ...uow.audit,
                append: async (entry, messages) => {
                  if (failWrite) throw new Error('disk full');
                  return uow.audit.append(entry, messages);
                },
              },
            };
            return work(wrapped);
          }),
      };
      const deps: AppDeps = { store: failing, directory: real.read.directory, evidence: new LocalDiskEvidenceStore('/nonexistent'), clock: { now: () => new Date() }, settings: { workflow: { authorisationValidDays: 28 }, protocol: DEFAULT_PROTOCOL_SETTINGS, maxEvidenceBytes: 1024 } };
      const caller = { person: person('amelia.hart'), requestId: 'test-call' };
      const created = await createRequest(deps, caller, requestBody());
      failWrite = true;
      await expect(takeAction(deps, caller, created.id, 'submit', { version: 1 })).rejects.toThrow('disk full');
      const after = await real.read.requests.get(created.id);
      expect(after).toMatchObject({ state: 'draft', version: 1, teamManagerId: null, submittedAt: null });
      expect((await real.read.audit.listForRequest(created.id)).map((e) => e.action)).toEqual(['create']);
      expect(await real.read.outbox.listForRequest(created.id)).toEqual([]);
      failWrite = false;
      const submitted = await takeAction(deps, caller, created.id, 'submit', { version: 1 });
      expect(submitted.state).toBe('awaiting_team_manager');
      expect((await real.read.outbox.listForRequest(created.id)).map((m) => [m.kind, m.recipientId, m.status])).toEqual([
        ['agree_request', 'tom.reid', 'pending'],
        ['request_updated', null, 'pending'],
      ]);
    } finally {
      await real.close();
    }
  });
});
