import { feedbackSchema, parseForm } from '../../domain/forms';
import { assertFollowUpOpen, mergeFeedback } from '../../domain/protocol';
import type { AppDeps } from '../deps';
import { throughGate } from '../gate';
import type { Caller } from '../ports';
import { auditEvent } from './shared';
import { toView } from './view';

/**
 * The pilot's feedback template, completed by the originating worker once the log is finalised;
 * the six-month follow-up from six months after sharing. Times used and time searching are
 * measured from the search sessions, and a later save keeps every earlier answer.
 */
export async function saveFeedback(deps: AppDeps, caller: Caller, requestId: string, input: unknown) {
  const answers = parseForm(feedbackSchema, input);
  const now = deps.clock.now();
  const saved = await throughGate(deps, caller, 'give-feedback', requestId, (gate) =>
    deps.store.transaction(async (uow) => {
      const { request, part } = await gate.load(uow, { lock: true });
      if (answers.followUp && answers.followUp.longerTermUsefulness !== request.feedback?.followUp?.longerTermUsefulness) {
        assertFollowUpOpen(request, now, deps.settings.protocol.followUpDays);
      }
      const sessions = await uow.searchSessions.listForRequest(requestId);
      const seconds = sessions.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0);
      const feedback = mergeFeedback(request.feedback, answers, { timesUsed: sessions.length, searchMinutes: Math.round(seconds / 60) });
      const updated = { ...request, feedback, updatedAt: now.toISOString() };
      await uow.requests.update(updated, request);
      await auditEvent(uow, caller, request, 'save_feedback', part, now, { contribution: feedback.contribution, followUp: Boolean(feedback.followUp) });
      return updated;
    }),
  );
  return toView(saved, caller.person, now, deps.directory, deps.settings.protocol, deps.settings.retention);
}
