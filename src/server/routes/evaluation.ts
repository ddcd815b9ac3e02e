/** The pilot evaluation and governance routes: thin adapters from HTTP to the use cases. */
import { evaluationRoutes } from '../api-contract';
import type { ApiRoutes } from '../api-route';
import { disclosureContent } from '../../app/disclosures/disclosure-content';
import { searchDisclosure } from '../../app/disclosures/search-disclosure';
import { getPilotSettings, updatePilotSettings } from '../../app/pilot/pilot-settings';
import { exportEvaluation } from '../../app/evaluation/export-evaluation';
import { getEvaluation } from '../../app/evaluation/get-figures';
import { answerSurvey } from '../../app/surveys/answer-survey';
import { askSurveyInTab } from '../../app/surveys/ask-survey';
import type { RouteContext } from './requests';
import { presentDisclosure, presentEvaluation, presentPilotSettings } from '../presenters/evaluation';

/** The report writers (docx, exceljs) load when a report is asked for, not while the server starts. */
const reports = () => import('../../reports/evaluation');

export async function registerEvaluationRoutes(api: ApiRoutes, ctx: Pick<RouteContext, 'deps' | 'caller'>): Promise<void> {
  const { deps } = ctx;
  const r = evaluationRoutes;
  api.add(r.evaluation, async (request) => presentEvaluation(await getEvaluation(deps, ctx.caller(request), request.query)));
  api.add(r.evaluationExport, async (request, reply) => {
    const out = await exportEvaluation(deps, ctx.caller(request), request.query);
    const { XLSX_CONTENT_TYPE, evaluationCsv, evaluationXlsx } = await reports();
    const name = `pilot-evaluation-${out.figures.period.from}-to-${out.figures.period.to}`;
    const body = out.format === 'csv' ? evaluationCsv(out.tables) : await evaluationXlsx(out.tables, out.generatedAt);
    return reply
      .header('content-type', out.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="${name}.${out.format}"`)
      .header('cache-control', 'no-store')
      .send(body);
  });
  api.add(r.evaluationSummary, async (request, reply) => {
    const out = await exportEvaluation(deps, ctx.caller(request), request.query, 'docx');
    const { DOCX_CONTENT_TYPE, evaluationSummaryDocx } = await reports();
    return reply
      .header('content-type', DOCX_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="pilot-evaluation-summary-${out.figures.period.from}-to-${out.figures.period.to}.docx"`)
      .header('cache-control', 'no-store')
      .send(await evaluationSummaryDocx(out.figures, out.generatedAt));
  });
  api.add(r.disclosure, async (request) => presentDisclosure(await searchDisclosure(deps, ctx.caller(request), request.body)));
  api.add(r.disclosureContent, async (request, reply) => {
    const bundle = await disclosureContent(deps, ctx.caller(request), (request.params as Record<string, string>).id ?? '');
    const { disclosureZip } = await import('../../reports/disclosure');
    const zip = await disclosureZip(bundle, (key) => deps.evidence.get(key));
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="disclosure-${bundle.record.id}.zip"`)
      .header('cache-control', 'no-store')
      .send(zip);
  });
  api.add(r.pilotSettings, async (request) => presentPilotSettings(await getPilotSettings(deps, ctx.caller(request))));
  api.add(r.savePilotSettings, async (request) => presentPilotSettings(await updatePilotSettings(deps, ctx.caller(request), request.body)));
  api.add(r.survey, async (request) => answerSurvey(deps, ctx.caller(request), request.body));
  api.add(r.askSurvey, async (request) => askSurveyInTab(deps, ctx.caller(request)));
}
