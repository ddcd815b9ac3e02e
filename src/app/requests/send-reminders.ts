/**
 * Writes the reminders that have come due into the outbox, each once: a decision left waiting,
 * feedback after access, the six-month follow-up and an upcoming monitoring review. Safe to run
 * from several instances: each request is locked while its reminders are written.
 */
import { dueReminders, type ReminderSettings } from '../../domain/reminders';
import type { AppDeps } from '../deps';
import type { OutboxMessageInput } from '../ports';
import { deputiesOf } from '../deputies/standing-in';

const STATES = ['awaiting_team_manager', 'awaiting_service_director', 'authorised', 'assigned', 'searching', 'on_hold', 'shared', 'closed', 'cancelled', 'expired'] as const;

export async function sendDueReminders(deps: AppDeps, settings: ReminderSettings): Promise<number> {
  const now = deps.clock.now();
  const candidates = (await deps.store.read.requests.list({ states: [...STATES] })).filter((r) => dueReminders(r, now, settings).length > 0);
  let written = 0;
  for (const candidate of candidates) {
    written += await deps.store.transaction(async (uow) => {
      const request = await uow.requests.getForUpdate(candidate.id);
      if (!request) return 0;
      const already = new Set(
        (await uow.outbox.listForRequest(request.id)).map((m) => `${m.kind}|${m.recipientId ?? ''}|${String(m.payload.reminderKey ?? '')}`),
      );
      const messages: OutboxMessageInput[] = [];
      for (const reminder of dueReminders(request, now, settings)) {
        const to = reminder.to;
        const recipients =
          'personId' in to
            ? [to.personId]
            : 'role' in to
              ? (await uow.directory.withRole(to.role)).filter((p) => !to.except.includes(p.id)).map((p) => p.id)
              : [];
        // A decision waiting for the team manager waits for their deputy too.
        if (reminder.key.startsWith('tm:')) recipients.push(...(await deputiesOf(uow, request, now)).filter((id) => id !== request.originatingWorkerId));
        for (const recipientId of recipients) {
          if (already.has(`${reminder.kind}|${recipientId}|${reminder.key}`)) continue;
          messages.push({
            requestId: request.id,
            recipientId,
            kind: reminder.kind,
            payload: { reference: request.reference, state: request.state, version: request.version, reminderKey: reminder.key },
          });
        }
      }
      if (messages.length > 0) await uow.outbox.add(messages);
      return messages.length;
    });
  }
  return written;
}
