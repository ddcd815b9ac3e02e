/**
 * A decision left waiting longer than the escalation limit (working days) goes to the service
 * manager for the case's team — or, when the directory names none, every service manager who
 * plays no part on the request — once per waiting decision: the audit entry records it, and the
 * request is locked while it is checked and written, so two sweeps or two instances escalate once.
 */
import { dueEscalation } from '../../domain/team-managers';
import { participants } from '../../domain/policy';
import type { ReminderSettings } from '../../domain/reminders';
import type { AppDeps } from '../deps';
import type { OutboxMessageInput } from '../ports';
import { caseServiceManager } from './shared';

const WAITING_STATES = ['awaiting_team_manager', 'awaiting_service_director'] as const;

export async function escalateWaitingDecisions(deps: AppDeps, settings: Pick<ReminderSettings, 'escalateAfterWorkingDays'>): Promise<number> {
  const now = deps.clock.now();
  const candidates = (await deps.store.read.requests.list({ states: [...WAITING_STATES] })).filter((r) => dueEscalation(r, now, settings.escalateAfterWorkingDays));
  let escalated = 0;
  for (const candidate of candidates) {
    escalated += await deps.store.transaction(async (uow) => {
      const request = await uow.requests.getForUpdate(candidate.id);
      const due = request ? dueEscalation(request, now, settings.escalateAfterWorkingDays) : null;
      if (!request || !due) return 0;
      const done = (await uow.audit.listForRequest(request.id)).some((e) => e.action === 'escalate' && e.detail?.stage === due.stage && e.detail.waitingSince === due.since);
      if (done) return 0;
      const parts = participants(request);
      const known = await caseServiceManager(uow, request);
      const managers = known && !parts.has(known.id) ? [known] : (await uow.directory.withRole('service_manager')).filter((p) => p.active && !parts.has(p.id));
      const messages: OutboxMessageInput[] = managers.map((m) => ({
        requestId: request.id,
        recipientId: m.id,
        kind: 'decision_escalated',
        payload: { reference: request.reference, state: request.state, version: request.version, stage: due.stage, waitingSince: due.since },
      }));
      if (messages.length > 0) await uow.outbox.add(messages);
      await uow.audit.append({
        at: now.toISOString(),
        actorId: 'system',
        actorRole: 'system',
        action: 'escalate',
        requestId: request.id,
        fromState: request.state,
        toState: request.state,
        reason: `The decision has waited more than ${settings.escalateAfterWorkingDays} working days.`,
        detail: { stage: due.stage, waitingSince: due.since, serviceManagers: managers.map((m) => m.id) },
        httpRequestId: null,
      });
      return 1;
    });
  }
  return escalated;
}
