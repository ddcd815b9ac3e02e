/**
 * Turns what an Action.Execute sends (its data merged with the card's inputs) into the body of
 * the same action in the API. Input ids differ per action only where one card holds several
 * reason boxes; everything else is validated by the use case, exactly as for the API.
 */
import type { CardAction } from './cards/request-card';

type InvokeData = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

export function actionBody(action: CardAction, data: InvokeData): Record<string, unknown> {
  const version = typeof data.version === 'number' ? data.version : Number(data.version);
  switch (action) {
    case 'agree':
      return { version, note: text(data.note) };
    case 'return':
      return { version, reason: text(data.reasonReturn) };
    case 'decline':
      return { version, reason: text(data.reasonDecline) };
    case 'refuse':
      return { version, reason: text(data.reasonRefuse) };
    case 'authorise': {
      const subjectIds = text(data.subjectIds)?.split(',').map((s) => s.trim()).filter(Boolean);
      const worker = text(data.accessWorkerId);
      const reviewDates = [text(data.reviewDate1), text(data.reviewDate2)].filter((d): d is string => Boolean(d));
      return {
        version,
        // An empty choice means the director unticked everyone: send [] so the rule says so.
        subjectIds: subjectIds ?? [],
        conditions: text(data.conditions),
        accessWorkerId: worker === 'register' ? undefined : worker,
        ...(reviewDates.length > 0 ? { reviewDates } : {}),
      };
    }
    case 'claim':
      return { version };
    case 'record-doubt-view':
      return { version, reason: text(data.reasonView) };
    case 'resolve-doubt':
      return { version, outcome: data.outcome, reason: text(data.reasonResolve) };
  }
}
