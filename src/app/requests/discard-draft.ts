import { z } from 'zod';
import { invalidState } from '../../domain/errors';
import { parseForm } from '../../domain/forms';
import type { AppDeps } from '../deps';
import { throughGate } from '../gate';
import type { Caller } from '../ports';
import { assertVersion, auditEvent } from './shared';

export const discardDraftQuerySchema = z.object({
  version: z.coerce.number({ error: 'Send the version of the draft you are looking at.' }).int().min(1, { error: 'Send the version of the draft you are looking at.' }).optional(),
});

/**
 * Discards a draft that was never submitted: the policy's `discard-draft`. The draft and what it
 * says are deleted (nobody else has seen them, and nothing needs them); the audit trail keeps that
 * it existed: its creation, its edits and this discard, with its reference.
 */
export async function discardDraft(deps: AppDeps, caller: Caller, requestId: string, query: unknown): Promise<void> {
  const { version } = parseForm(discardDraftQuerySchema, query ?? {});
  const now = deps.clock.now();
  await throughGate(deps, caller, 'discard-draft', requestId, (gate) =>
    deps.store.transaction(async (uow) => {
      const { request } = await gate.load(uow, { lock: true });
      assertVersion(request, version);
      await auditEvent(uow, caller, request, 'discard_draft', 'originating_worker', now, { reference: request.reference });
      if (!(await uow.requests.deleteUnsubmittedDraft(request.id, request.version))) throw invalidState('The draft changed while you were discarding it. Reload it.');
    }),
  );
}
