/** The evaluation for export: the figures and one anonymised row per request. Each export is audited. */
import { z } from 'zod';
import { exportTables, type EvaluationFigures, type ExportTables } from '../../domain/evaluation';
import { parseForm } from '../../domain/forms';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { evaluationReport, periodQuerySchema } from './get-figures';
import { assertMay } from '../gate';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export async function exportEvaluation(
  deps: AppDeps,
  caller: Caller,
  input: unknown,
  fixedFormat?: ExportFormat,
): Promise<{ format: ExportFormat; figures: EvaluationFigures; tables: ExportTables; generatedAt: Date }> {
  await assertMay(deps, caller, 'view-evaluation');
  const query = parseForm(
    periodQuerySchema.and(z.object({ format: fixedFormat ? z.string().optional() : z.enum(['csv', 'xlsx'], { error: 'Choose csv or xlsx.' }) })),
    input ?? {},
  );
  const format = fixedFormat ?? (query.format as ExportFormat);
  const report = await evaluationReport(deps, query);
  const rows = await deps.store.evaluation.rows(query);
  const generatedAt = deps.clock.now();
  await deps.store.transaction((uow) =>
    uow.audit.append({
      at: generatedAt.toISOString(),
      actorId: caller.person.id,
      actorRole: caller.person.roles.includes('service_director') ? 'service_director' : 'service_manager',
      action: 'export_evaluation',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { format, from: query.from, to: query.to, team: query.team ?? null, requests: rows.length },
      httpRequestId: caller.requestId,
    }),
  );
  return { format, figures: report.figures, tables: exportTables(report.figures, rows), generatedAt };
}
