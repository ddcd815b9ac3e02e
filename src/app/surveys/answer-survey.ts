/** POST /api/surveys: a person rates the ease and effectiveness of the authorisation process, at most once a month. */
import { randomUUID } from 'node:crypto';
import { formatDate } from '../../domain/dates';
import { invalidState } from '../../domain/errors';
import { parseForm, surveySchema } from '../../domain/forms';
import { addMonths, mayAskAgain, type SurveyAnswer } from '../../domain/survey';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';

export async function answerSurvey(deps: AppDeps, caller: Caller, input: unknown): Promise<SurveyAnswer> {
  await assertMay(deps, caller, 'answer-survey');
  const survey = parseForm(surveySchema, input);
  const now = deps.clock.now();
  return deps.store.transaction(async (uow) => {
    // Recording the ask first locks the person's row, so two answers sent at once are taken in turn.
    await uow.surveys.claimAsk(caller.person.id, now.toISOString(), 'answer', now.toISOString());
    const last = await uow.surveys.lastAnswer(caller.person.id);
    if (last && !mayAskAgain(last.answeredAt, now)) {
      const again = addMonths(new Date(last.answeredAt), 1).toISOString();
      throw invalidState(`You answered the survey on ${formatDate(last.answeredAt)}: you can answer again from ${formatDate(again)}.`);
    }
    const answer: SurveyAnswer = {
      id: randomUUID(),
      personId: caller.person.id,
      answeredAt: now.toISOString(),
      easeOfAuthorisation: survey.easeOfAuthorisation,
      effectiveness: survey.effectiveness,
      comments: survey.comments ?? null,
    };
    await uow.surveys.insert(answer);
    await uow.audit.append({
      at: answer.answeredAt,
      actorId: caller.person.id,
      actorRole: 'any_user',
      action: 'answer_survey',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { easeOfAuthorisation: answer.easeOfAuthorisation, effectiveness: answer.effectiveness },
      httpRequestId: caller.requestId,
    });
    return answer;
  });
}
