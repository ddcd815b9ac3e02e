import { forbidden, invalidState } from '../../domain/errors';
import { draftRequestSchema, parseForm } from '../../domain/forms';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { throughGate } from '../gate';
import type { Caller } from '../ports';
import { platformsInScope } from '../pilot/pilot-settings';
import { assertPilotScope, withSubjectIds } from './create-request';
import { assertVersion, auditEvent } from './shared';
import { toView } from './view';

const versionField = z.object({ version: z.number({ error: 'Send the version as a number.' }).int().min(1).optional() });

/** Edits a draft (new or returned): the policy's `edit-draft`. */
export async function updateDraft(deps: AppDeps, caller: Caller, requestId: string, input: unknown) {
  const { version } = parseForm(versionField, input);
  const form = parseForm(draftRequestSchema, input);
  const now = deps.clock.now();
  const updated = await throughGate(deps, caller, 'edit-draft', requestId, async (gate) => {
    assertPilotScope(form, await platformsInScope(deps));
    return deps.store.transaction(async (uow) => {
      const { request } = await gate.load(uow, { lock: true });
      assertVersion(request, version);
      if (form.linkedFromRequestId !== (request.linkedFromRequestId ?? undefined)) {
        throw forbidden('A request cannot be linked to, or unlinked from, another after it is raised.');
      }
      const next = {
        ...request,
        form: withSubjectIds(form, new Set(request.form.subjects.map((s) => s.id))),
        version: request.version + 1,
        updatedAt: now.toISOString(),
      };
      if (!(await uow.requests.update(next, request))) throw invalidState('The draft changed while you were saving it. Reload it.');
      await auditEvent(uow, caller, next, 'edit_draft', 'originating_worker', now);
      return next;
    });
  });
  return toView(updated, caller.person, now, deps.directory, deps.settings.protocol, deps.settings.retention);
}
