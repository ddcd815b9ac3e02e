import { randomUUID } from 'node:crypto';
import { draftRequestSchema, parseForm, type DraftRequestForm } from '../../domain/forms';
import { newDraft, type StoredForm } from '../../domain/request';
import type { AppDeps } from '../deps';
import type { Platform } from '../../domain/pilot';
import { assertAdultSubjects, assertPilotPlatform } from '../../domain/protocol';
import { platformsInScope } from '../pilot/pilot-settings';
import { personGate, throughGate } from '../gate';
import type { Caller } from '../ports';
import { auditEvent } from './shared';
import { toView } from './view';

/** Gives every subject a stable id, keeping ids the form already carries from the stored draft. */
export function withSubjectIds(form: DraftRequestForm, known: Set<string> = new Set()): StoredForm {
  return { ...form, subjects: form.subjects.map((s) => ({ ...s, id: s.id && known.has(s.id) ? s.id : randomUUID() })) };
}

/** The pilot's scope: the people to check are adults, and their known profiles are on the platforms in scope. */
export function assertPilotScope(form: DraftRequestForm, platforms: readonly Platform[]): void {
  assertAdultSubjects(form);
  form.subjects.forEach((s, i) => assertPilotPlatform(s.profileUrl, `subjects.${i}.profileUrl`, platforms));
}

export async function createRequest(deps: AppDeps, caller: Caller, input: unknown) {
  return personGate(deps, caller, 'raise-request', async () => {
    // A draft may be saved with answers still missing: submitting it checks it is complete.
    const form = parseForm(draftRequestSchema, input);
    assertPilotScope(form, await platformsInScope(deps));
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
