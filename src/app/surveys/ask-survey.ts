/**
 * Whether the tab should ask this person for the survey now. Asking is recorded, so the tab and
 * the bot between them ask each person at most once a month.
 */
import { oneMonthBefore } from '../../domain/survey';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';

export async function askSurveyInTab(deps: AppDeps, caller: Caller): Promise<{ ask: boolean }> {
  const now = deps.clock.now();
  const ask = await deps.store.transaction((uow) => uow.surveys.claimAsk(caller.person.id, now.toISOString(), 'tab', oneMonthBefore(now).toISOString()));
  return { ask };
}
