/** The pilot evaluation and governance routes: thin adapters from HTTP to the use cases. */
import type { FastifyInstance } from 'fastify';
import { disclosureContent } from '../../app/disclosures/disclosure-content';
import { searchDisclosure } from '../../app/disclosures/search-disclosure';
import { getPilotSettings, updatePilotSettings } from '../../app/pilot/pilot-settings';
import { exportEvaluation } from '../../app/evaluation/export-evaluation';
import { getEvaluation } from '../../app/evaluation/get-figures';
import { DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE, evaluationCsv, evaluationSummaryDocx, evaluationXlsx } from '../../reports/evaluation';
import { answerSurvey } from '../../app/surveys/answer-survey';
import { askSurveyInTab } from '../../app/surveys/ask-survey';
import { disclosureZip } from '../../reports/disclosure';
import type { RouteContext } from './requests';

export async function registerEvaluationRoutes(app: FastifyInstance, ctx: Pick<RouteContext, 'deps' | 'caller'>): Promise<void> {
  const { deps } = ctx;
  app.get('/api/evaluation', async (request) => getEvaluation(deps, ctx.caller(request), request.query));
  app.get('/api/evaluation/export', async (request, reply) => {
    const out = await exportEvaluation(deps, ctx.caller(request), request.query);
    const name = `pilot-evaluation-${out.figures.period.from}-to-${out.figures.period.to}`;
    const body = out.format === 'csv' ? evaluationCsv(out.tables) : await evaluationXlsx(out.tables, out.generatedAt);
    return reply
      .header('content-type', out.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="${name}.${out.format}"`)
      .header('cache-control', 'no-store')
      .send(body);
  });
  app.get('/api/evaluation/summary.docx', async (request, reply) => {
    const out = await exportEvaluation(deps, ctx.caller(request), request.query, 'docx');
    return reply
      .header('content-type', DOCX_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="pilot-evaluation-summary-${out.figures.period.from}-to-${out.figures.period.to}.docx"`)
      .header('cache-control', 'no-store')
      .send(await evaluationSummaryDocx(out.figures, out.generatedAt));
  });
  app.post('/api/disclosures', async (request, reply) => reply.status(201).send(await searchDisclosure(deps, ctx.caller(request), request.body)));
  app.get('/api/disclosures/:id/content', async (request, reply) => {
    const bundle = await disclosureContent(deps, ctx.caller(request), (request.params as Record<string, string>).id ?? '');
    const zip = await disclosureZip(bundle, (key) => deps.evidence.get(key));
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="disclosure-${bundle.record.id}.zip"`)
      .header('cache-control', 'no-store')
      .send(zip);
  });
  app.get('/api/pilot/settings', async (request) => getPilotSettings(deps, ctx.caller(request)));
  app.put('/api/pilot/settings', async (request) => updatePilotSettings(deps, ctx.caller(request), request.body));
  app.post('/api/surveys', async (request, reply) => reply.status(201).send(await answerSurvey(deps, ctx.caller(request), request.body)));
  app.post('/api/surveys/ask', async (request) => askSurveyInTab(deps, ctx.caller(request)));
}
