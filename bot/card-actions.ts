/**
 * Turns what an Action.Execute sends (its data merged with the card's inputs) into the body of
 * the same action in the API. Input ids differ per action only where one card holds several
 * reason boxes; everything else is validated by the use case, exactly as for the API.
 */
import type { CardAction } from './cards/request-card';

type InvokeData = Record<string, unknown>;

/**
 * An input's value: Input.Text sends a string, and an empty one means nothing was written. Any
 * other value is passed on as it came, for the action's schema to refuse as the API would, rather
 * than dropped (which took the action without the note the person meant to send).
 */
const text = (value: unknown): unknown => ((typeof value === 'string' && value.trim() === '') || value === null ? undefined : value);

export function actionBody(action: CardAction, data: InvokeData): Record<string, unknown> {
  // Only a number or its text is read as one; anything else goes on as it came, for the schema to refuse.
  const version = typeof data.version === 'string' && data.version.trim() !== '' ? Number(data.version) : data.version;
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
      // A ChoiceSet with isMultiSelect sends its choices as one comma-separated string.
      const chosen = text(data.subjectIds);
      const subjectIds = typeof chosen === 'string' ? chosen.split(',').map((s) => s.trim()).filter(Boolean) : chosen;
      const worker = text(data.accessWorkerId);
      const reviewDates = [text(data.reviewDate1), text(data.reviewDate2)].filter((d) => d !== undefined);
      const useBy = text(data.useBy);
      return {
        version,
        // An empty choice means the director unticked everyone: send [] so the rule says so.
        subjectIds: subjectIds ?? [],
        conditions: text(data.conditions),
        accessWorkerId: worker === 'register' ? undefined : worker,
        ...(reviewDates.length > 0 ? { reviewDates } : {}),
        ...(useBy !== undefined ? { useBy } : {}),
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
