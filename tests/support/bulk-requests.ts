/** Writes many requests straight into the store, for tests about lists of thousands: the API would take minutes. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../src/app/ports';
import { withSubjectIds } from '../../src/app/requests/create-request';
import { investigationRequestSchema, parseForm } from '../../src/domain/forms';
import { newDraft, type InvestigationRequest } from '../../src/domain/request';

const FORM = withSubjectIds(
  parseForm(investigationRequestSchema, {
    caseReference: 'CM-2002',
    children: [{ name: 'Child C', dateOfBirth: '2014-03-02' }],
    concernCategories: ['relationship_with_abusive_adult'],
    concernDetails: 'A draft written in bulk',
    justification: 'A draft written in bulk',
    subjects: [{ kind: 'service_user', name: 'Sam Roe', relationshipToChild: 'Father' }],
    period: { from: '2026-06-01', to: '2026-11-01' },
    monitoring: null,
    neededBy: '2026-12-20',
  }),
);

/**
 * Inserts `count` drafts by `originatingWorkerId`, `perInstant` of them sharing each creation time
 * (so a list's order must break ties), starting at `from` and one second apart. Returns their ids.
 */
export async function insertDrafts(store: Store, originatingWorkerId: string, count: number, from: Date, perInstant = 1): Promise<string[]> {
  const drafts: InvestigationRequest[] = [];
  await store.transaction(async (uow) => {
    for (let i = 0; i < count; i += 1) {
      const at = new Date(from.getTime() + Math.floor(i / perInstant) * 1000).toISOString();
      const draft = newDraft({ id: randomUUID(), reference: await uow.requests.nextReference(from.getUTCFullYear()), form: FORM, originatingWorkerId, linkedFromRequestId: null, at });
      await uow.requests.insert(draft);
      drafts.push(draft);
    }
  });
  return drafts.map((d) => d.id);
}
