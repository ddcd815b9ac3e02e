/** The pilot's evaluation figures for a period and, optionally, one team, counted in the database. */
import { z } from 'zod';
import { inServiceRange } from '../../domain/dates';
import { evaluationFigures, tallyQuery, type EvaluationFigures } from '../../domain/evaluation';
import { parseForm, safeString } from '../../domain/forms';
import { DEFAULT_REMINDER_SETTINGS } from '../../domain/reminders';
import { surveyFigures } from '../../domain/survey';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';

export const periodQuerySchema = z
  .object({
    from: z.iso.date({ error: 'Enter the start of the period as YYYY-MM-DD.' }).refine(inServiceRange, { error: 'Enter a start between 1900 and 2999.' }).describe('The first day of the period, YYYY-MM-DD'),
    to: z.iso.date({ error: 'Enter the end of the period as YYYY-MM-DD.' }).refine(inServiceRange, { error: 'Enter an end between 1900 and 2999.' }).describe('The last day of the period, YYYY-MM-DD'),
    team: safeString()
      .trim()
      .max(200, { error: 'The team name is too long.' })
      .optional()
      .transform((v) => v || undefined)
      .describe('One team only; every team when left out'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'The end of the period must be on or after its start.' });
export type PeriodQuery = z.output<typeof periodQuerySchema>;

export type EvaluationReportFigures = Omit<EvaluationFigures, 'uses'> & {
  uses: Omit<EvaluationFigures['uses'], 'byAccessWorker'> & { byAccessWorker: (EvaluationFigures['uses']['byAccessWorker'][number] & { displayName: string })[] };
};

/** The figures for a period and team, and the teams seen in the period (for the filter). */
export async function evaluationReport(deps: AppDeps, query: PeriodQuery): Promise<{ figures: EvaluationReportFigures; teams: string[] }> {
  const tallies = await deps.store.evaluation.tallies(
    tallyQuery({ ...query, now: deps.clock.now(), followUpDays: deps.settings.reminders?.followUpDays ?? DEFAULT_REMINDER_SETTINGS.followUpDays }),
  );
  const figures = evaluationFigures(tallies, query);
  const byAccessWorker = await Promise.all(
    figures.uses.byAccessWorker.map(async (w) => ({ ...w, displayName: (await deps.directory.get(w.accessWorkerId))?.displayName ?? w.accessWorkerId })),
  );
  return { figures: { ...figures, uses: { ...figures.uses, byAccessWorker } }, teams: tallies.teams };
}

export async function getEvaluation(deps: AppDeps, caller: Caller, input: unknown) {
  await assertMay(deps, caller, 'view-evaluation');
  const query = parseForm(periodQuerySchema, input ?? {});
  const report = await evaluationReport(deps, query);
  const survey = surveyFigures(await deps.store.read.surveys.answersBetween(query.from, query.to));
  return { ...report.figures, survey, teams: report.teams };
}
