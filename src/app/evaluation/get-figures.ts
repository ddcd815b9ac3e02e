/** The pilot's evaluation figures for a period and, optionally, one team. */
import { z } from 'zod';
import { evaluationFigures, inPeriod, NO_TEAM, type EvaluationFigures, type EvaluationRow } from '../../domain/evaluation';
import { parseForm } from '../../domain/forms';
import { DEFAULT_REMINDER_SETTINGS } from '../../domain/reminders';
import { surveyFigures } from '../../domain/survey';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';

export const periodQuerySchema = z
  .object({
    from: z.iso.date({ error: 'Enter the start of the period as YYYY-MM-DD.' }),
    to: z.iso.date({ error: 'Enter the end of the period as YYYY-MM-DD.' }),
    team: z.string().trim().max(200, { error: 'The team name is too long.' }).optional().transform((v) => v || undefined),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'The end of the period must be on or after its start.' });
export type PeriodQuery = z.output<typeof periodQuerySchema>;

export interface EvaluationReport {
  figures: EvaluationFigures & { uses: EvaluationFigures['uses'] & { byAccessWorker: (EvaluationFigures['uses']['byAccessWorker'][number] & { displayName: string })[] } };
  rows: EvaluationRow[];
  teams: string[];
}

/** Figures plus the rows they came from (for the export) and the teams seen (for the filter). */
export async function evaluationReport(deps: AppDeps, query: PeriodQuery): Promise<EvaluationReport> {
  const all = await deps.store.evaluation.rows({ from: query.from, to: query.to });
  const figures = evaluationFigures(all, {
    ...query,
    now: deps.clock.now(),
    followUpDays: deps.settings.reminders?.followUpDays ?? DEFAULT_REMINDER_SETTINGS.followUpDays,
  });
  const byAccessWorker = await Promise.all(
    figures.uses.byAccessWorker.map(async (w) => ({ ...w, displayName: (await deps.directory.get(w.accessWorkerId))?.displayName ?? w.accessWorkerId })),
  );
  const rows = all.filter((r) => inPeriod(r, query));
  return { figures: { ...figures, uses: { ...figures.uses, byAccessWorker } }, rows, teams: [...new Set(all.map((r) => r.team ?? NO_TEAM))].sort() };
}

export async function getEvaluation(deps: AppDeps, caller: Caller, input: unknown) {
  await assertMay(deps, caller, 'view-evaluation');
  const query = parseForm(periodQuerySchema, input ?? {});
  const report = await evaluationReport(deps, query);
  const survey = surveyFigures(await deps.store.read.surveys.answersBetween(query.from, query.to));
  return { ...report.figures, survey, teams: report.teams };
}
