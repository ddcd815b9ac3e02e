import { forbidden, invalidState } from '../../domain/errors';
import { feedbackSchema, parseForm } from '../../domain/forms';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { auditEvent, loadVisible } from './shared';
import { toView } from './view';

/** The pilot's feedback template, completed by the originating worker once the log is finalised. */
export async function saveFeedback(deps: AppDeps, caller: Caller, requestId: string, input: unknown) {
  const feedback = parseForm(feedbackSchema, input);
  const now = deps.clock.now();
  const saved = await deps.store.transaction(async (uow) => {
    const request = await loadVisible(uow, caller, requestId, true);
    if (request.originatingWorkerId !== caller.person.id) throw forbidden('Only the originating social worker gives feedback on a request.');
    if (request.state !== 'finalised' && request.state !== 'shared') throw invalidState('Feedback is given once the log has been finalised.');
    const updated = { ...request, feedback, updatedAt: now.toISOString() };
    await uow.requests.update(updated, request.version);
    await auditEvent(uow, caller, request, 'save_feedback', 'originating_worker', now, { contribution: feedback.contribution, followUp: Boolean(feedback.followUp) });
    return updated;
  });
  return toView(saved, caller.person, now, deps.directory);
}
