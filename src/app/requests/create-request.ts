import { randomUUID } from 'node:crypto';
import { draftRequestSchema, parseForm, type DraftRequestForm } from '../../domain/forms';
import { newDraft, type StoredForm } from '../../domain/request';
import type { AppDeps } from '../deps';
import { assertAdultSubjects, assertPilotPlatform, type ProtocolSettings } from '../../domain/protocol';
import { personGate, throughGate } from '../gate';
import type { Caller } from '../ports';
import { auditEvent } from './shared';
import { toView } from './view';

/** Gives every subject a stable id, keeping ids the form already carries from the stored draft. */
export function withSubjectIds(form: DraftRequestForm, known: Set<string> = new Set()): StoredForm {
  return { ...form, subjects: form.subjects.map((s) => ({ ...s, id: s.id && known.has(s.id) ? s.id : randomUUID() })) };
}

/** The pilot's scope: the people to check are adults, and their known profiles are on the platforms in scope. */
export function assertPilotScope(form: DraftRequestForm, settings: ProtocolSettings): void {
  assertAdultSubjects(form);
  form.subjects.forEach((s, i) => assertPilotPlatform(s.profileUrl, `subjects.${i}.profileUrl`, settings));
}

export async function createRequest(deps: AppDeps, caller: Caller, input: unknown) {
  return personGate(deps, caller, 'raise-request', async () => {
    // A draft may be saved with answers still missing: submitting it checks it is complete.
    const form = parseForm(draftRequestSchema, input);
    assertPilotScope(form, deps.settings.protocol);
    const now = deps.clock.now();
    const at = now.toISOString();
    const linkedFrom = form.linkedFromRequestId;
    // A linked request names a further person found during another request; only its originator raises it.
    if (linkedFrom) await throughGate(deps, caller, 'raise-linked', linkedFrom, (gate) => gate.load(deps.store.read));
    const created = await deps.store.transaction(async (uow) => {
      const request = newDraft({
        id: randomUUID(),
        reference: await uow.requests.nextReference(now.getUTCFullYear()),
        form: withSubjectIds(form),
        originatingWorkerId: caller.person.id,
        linkedFromRequestId: linkedFrom ?? null,
        at,
      });
      await uow.requests.insert(request);
      await auditEvent(uow, caller, request, 'create', 'originating_worker', now, request.linkedFromRequestId ? { linkedFromRequestId: request.linkedFromRequestId } : null);
      return request;
    });
    return toView(created, caller.person, now, deps.directory, deps.settings.protocol, deps.settings.retention);
  });
}
