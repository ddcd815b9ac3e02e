/**
 * The bot's share of asking for the survey: everyone who took part in a request shared in the last
 * month is asked through their request's card, unless the tab or the bot asked them in the last month.
 */
import { oneMonthBefore } from '../../domain/survey';
import type { AppDeps } from '../deps';

export async function askSurveysByBot(deps: AppDeps): Promise<number> {
  const now = deps.clock.now();
  const since = oneMonthBefore(now).toISOString();
  const shared = (await deps.store.read.requests.list({ states: ['shared', 'closed'] })).filter((r) => (r.sharedWith[0]?.at ?? '') > since);
  let asked = 0;
  for (const request of shared) {
    const people = [request.originatingWorkerId, request.teamManagerId, request.authorisation?.by, request.accessWorkerId].filter(
      (id, i, all): id is string => Boolean(id) && all.indexOf(id) === i,
    );
    for (const personId of people) {
      asked += await deps.store.transaction(async (uow) => {
        if (!(await uow.surveys.claimAsk(personId, now.toISOString(), 'bot', since))) return 0;
        await uow.outbox.add([{ requestId: request.id, recipientId: personId, kind: 'survey_prompt', payload: { reference: request.reference, state: request.state, version: request.version } }]);
        return 1;
      });
    }
  }
  return asked;
}
