/**
 * What a disclosure bundle holds, gathered for the ZIP: each matched request as it may be
 * disclosed (the person's own entries only), their evidence, the search sessions and the
 * request's audit entries. Every download is audited.
 */
import { disclosedRequest, type DisclosureRecord } from '../../domain/disclosure';
import { notFound } from '../../domain/errors';
import type { InvestigationRequest } from '../../domain/request';
import type { AppDeps } from '../deps';
import type { AuditEntry, Caller, EvidenceItem, SearchSession } from '../ports';
import { assertMay, UUID } from '../gate';

export interface DisclosedRequest {
  request: InvestigationRequest;
  evidence: EvidenceItem[];
  searchSessions: SearchSession[];
  audit: AuditEntry[];
}

export interface DisclosureBundle {
  record: DisclosureRecord;
  requests: DisclosedRequest[];
  /** Display names of staff by id, for the documents. */
  people: Record<string, string>;
  generatedAt: Date;
}

export async function disclosureContent(deps: AppDeps, caller: Caller, id: string): Promise<DisclosureBundle> {
  await assertMay(deps, caller, 'search-disclosure');
  const record = UUID.test(id) ? await deps.store.read.disclosures.get(id) : null;
  if (!record) throw notFound('No disclosure with that id.');
  const requests: DisclosedRequest[] = [];
  const people: Record<string, string> = {};
  for (const match of record.matches) {
    const stored = await deps.store.read.requests.get(match.requestId);
    if (!stored) continue;
    const keep = new Set(match.subjectIds);
    const audit = await deps.store.read.audit.listForRequest(stored.id);
    for (const personId of new Set(audit.map((e) => e.actorId))) {
      people[personId] ??= (await deps.directory.get(personId))?.displayName ?? personId;
    }
    requests.push({
      request: disclosedRequest(stored, match.subjectIds),
      evidence: (await deps.store.read.evidence.listForRequest(stored.id)).filter((e) => keep.has(e.subjectId)),
      searchSessions: await deps.store.read.searchSessions.listForRequest(stored.id),
      audit,
    });
  }
  const generatedAt = deps.clock.now();
  await deps.store.transaction((uow) =>
    uow.audit.append({
      at: generatedAt.toISOString(),
      actorId: caller.person.id,
      actorRole: caller.person.roles.includes('service_manager') ? 'service_manager' : 'administrator',
      action: 'download_disclosure',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { disclosureId: record.id, requests: requests.length },
      httpRequestId: caller.requestId,
    }),
  );
  return { record, requests, people, generatedAt };
}
