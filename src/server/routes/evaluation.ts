/** The pilot evaluation and governance routes: thin adapters from HTTP to the use cases. */
import type { FastifyInstance } from 'fastify';
import { getEvaluation } from '../../app/evaluation/get-figures';
import type { RouteContext } from './requests';

export async function registerEvaluationRoutes(app: FastifyInstance, ctx: Omit<RouteContext, 'tmpDir'>): Promise<void> {
  const { deps } = ctx;
  app.get('/api/evaluation', async (request) => getEvaluation(deps, ctx.caller(request), request.query));
}
