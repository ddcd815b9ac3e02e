/**
 * POST /api/disclosures: an administrator or service manager finds everything held about one
 * person. The search and what it found are kept as a disclosure; the audit trail records who
 * searched and the disclosure's id, not the person's details.
 */
import { randomUUID } from 'node:crypto';
import { disclosureQuerySchema, disclosureQueryKeys, matchingSubjects, type DisclosureRecord } from '../../domain/disclosure';
import { parseForm } from '../../domain/forms';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';

export async function searchDisclosure(deps: AppDeps, caller: Caller, input: unknown) {
  await assertMay(deps, caller, 'search-disclosure');
  const query = parseForm(disclosureQuerySchema, input);
  const now = deps.clock.now();
  const candidates = await deps.store.read.disclosures.candidateRequestIds(disclosureQueryKeys(query));
  const matches: DisclosureRecord['matches'] = [];
  for (const id of candidates) {
    const request = await deps.store.read.requests.get(id);
    if (!request) continue;
    const subjectIds = matchingSubjects(request, query);
    if (subjectIds.length > 0) matches.push({ requestId: request.id, reference: request.reference, subjectIds });
  }
  matches.sort((a, b) => a.reference.localeCompare(b.reference));
  const record: DisclosureRecord = { id: randomUUID(), requestedBy: caller.person.id, requestedAt: now.toISOString(), query, matches };
  await deps.store.transaction(async (uow) => {
    await uow.disclosures.insert(record);
    await uow.audit.append({
      at: record.requestedAt,
      actorId: caller.person.id,
      actorRole: caller.person.roles.includes('service_manager') ? 'service_manager' : 'administrator',
      action: 'search_disclosure',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { disclosureId: record.id, requests: matches.length },
      httpRequestId: caller.requestId,
    });
  });
  return { id: record.id, requestedAt: record.requestedAt, requests: matches.map((m) => ({ id: m.requestId, reference: m.reference })) };
}
