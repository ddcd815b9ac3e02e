/** The retention routes: thin adapters from HTTP to the retention use cases (docs/retention.md). */
import type { FastifyInstance } from 'fastify';
import { confirmDisposal } from '../../app/retention/confirm-disposal';
import { proposeDisposal } from '../../app/retention/propose-disposal';
import { reviewList } from '../../app/retention/review-list';
import { setLegalHold } from '../../app/retention/set-legal-hold';
import { viewRetention } from '../../app/retention/view-retention';
import type { RouteContext } from './requests';

const id = (params: unknown): string => (params as Record<string, string>).id ?? '';

export async function registerRetentionRoutes(app: FastifyInstance, ctx: Pick<RouteContext, 'deps' | 'caller'>): Promise<void> {
  const { deps } = ctx;
  app.get('/api/retention/review', async (request) => reviewList(deps, ctx.caller(request)));
  app.get('/api/retention/requests/:id', async (request) => viewRetention(deps, ctx.caller(request), id(request.params)));
  app.put('/api/retention/requests/:id/hold', async (request) => setLegalHold(deps, ctx.caller(request), id(request.params), request.body));
  app.post('/api/retention/requests/:id/proposal', async (request) => proposeDisposal(deps, ctx.caller(request), id(request.params), request.body));
  app.post('/api/retention/requests/:id/disposal', async (request) => confirmDisposal(deps, ctx.caller(request), id(request.params)));
}
