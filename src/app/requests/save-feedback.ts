import { feedbackSchema, parseForm } from '../../domain/forms';
import type { AppDeps } from '../deps';
import { throughGate } from '../gate';
import type { Caller } from '../ports';
import { auditEvent } from './shared';
import { toView } from './view';

/** The pilot's feedback template, completed by the originating worker once the log is finalised. */
export async function saveFeedback(deps: AppDeps, caller: Caller, requestId: string, input: unknown) {
  const feedback = parseForm(feedbackSchema, input);
  const now = deps.clock.now();
  const saved = await throughGate(deps, caller, 'give-feedback', requestId, (gate) =>
    deps.store.transaction(async (uow) => {
      const { request, part } = await gate.load(uow, { lock: true });
      const updated = { ...request, feedback, updatedAt: now.toISOString() };
      await uow.requests.update(updated, request.version);
      await auditEvent(uow, caller, request, 'save_feedback', part, now, { contribution: feedback.contribution, followUp: Boolean(feedback.followUp) });
      return updated;
    }),
  );
  return toView(saved, caller.person, now, deps.directory);
}
