import { randomUUID } from 'node:crypto';
import { forbidden, invalidState } from '../../domain/errors';
import { investigationRequestSchema, parseForm, type InvestigationRequestForm } from '../../domain/forms';
import { newDraft, type RequestForm } from '../../domain/request';
import { hasRole } from '../../domain/roles';
import type { AppDeps } from '../deps';
import type { Caller, UnitOfWork } from '../ports';
import { assertAdultSubjects, assertPilotPlatform, type ProtocolSettings } from '../../domain/protocol';
import { auditEvent, auditingRuleRefusals, loadVisible } from './shared';
import { toView } from './view';

/** Gives every subject a stable id, keeping ids the form already carries from the stored draft. */
export function withSubjectIds(form: InvestigationRequestForm, known: Set<string> = new Set()): RequestForm {
  return { ...form, subjects: form.subjects.map((s) => ({ ...s, id: s.id && known.has(s.id) ? s.id : randomUUID() })) };
}

/** The pilot's scope: the people to check are adults, and their known profiles are on the platforms in scope. */
export function assertPilotScope(form: InvestigationRequestForm, settings: ProtocolSettings): void {
  assertAdultSubjects(form);
  form.subjects.forEach((s, i) => assertPilotPlatform(s.profileUrl, `subjects.${i}.profileUrl`, settings));
}

/** A linked request names a further person found during another request; only its originator raises it. */
async function assertLinkable(uow: UnitOfWork, caller: Caller, linkedFromRequestId: string): Promise<void> {
  const original = await loadVisible(uow, caller, linkedFromRequestId);
  if (original.originatingWorkerId !== caller.person.id) {
    throw forbidden('Only the originating social worker of the first request may raise a linked request.');
  }
  if (original.state === 'draft') throw invalidState('A linked request can follow only a submitted request.');
}

export async function createRequest(deps: AppDeps, caller: Caller, input: unknown) {
  if (!hasRole(caller.person, 'social_worker')) throw forbidden('Only a social worker may raise an Investigation Request.');
  const form = parseForm(investigationRequestSchema, input);
  await auditingRuleRefusals(deps, caller, null, 'create', async () => assertPilotScope(form, deps.settings.protocol));
  const now = deps.clock.now();
  const at = now.toISOString();
  const created = await deps.store.transaction(async (uow) => {
    if (form.linkedFromRequestId) await assertLinkable(uow, caller, form.linkedFromRequestId);
    const request = newDraft({
      id: randomUUID(),
      reference: await uow.requests.nextReference(now.getUTCFullYear()),
      form: withSubjectIds(form),
      originatingWorkerId: caller.person.id,
      linkedFromRequestId: form.linkedFromRequestId ?? null,
      at,
    });
    await uow.requests.insert(request);
    await auditEvent(uow, caller, request, 'create', 'originating_worker', now, request.linkedFromRequestId ? { linkedFromRequestId: request.linkedFromRequestId } : null);
    return request;
  });
  return toView(created, caller.person, now, deps.directory, deps.settings.protocol);
}
