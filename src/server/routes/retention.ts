/** The retention routes: thin adapters from HTTP to the retention use cases (docs/retention.md). */
import { retentionRoutes } from '../api-contract';
import type { ApiRoutes } from '../api-route';
import { confirmDisposal } from '../../app/retention/confirm-disposal';
import { proposeDisposal } from '../../app/retention/propose-disposal';
import { reviewList } from '../../app/retention/review-list';
import { setLegalHold } from '../../app/retention/set-legal-hold';
import { viewRetention } from '../../app/retention/view-retention';
import type { RouteContext } from './requests';
import { presentRetention, presentRetentionReview } from '../presenters/retention';

const id = (params: unknown): string => (params as Record<string, string>).id ?? '';

export async function registerRetentionRoutes(api: ApiRoutes, ctx: Pick<RouteContext, 'deps' | 'caller'>): Promise<void> {
  const { deps } = ctx;
  const r = retentionRoutes;
  api.add(r.review, async (request) => presentRetentionReview(await reviewList(deps, ctx.caller(request))));
  api.add(r.retention, async (request) => presentRetention(await viewRetention(deps, ctx.caller(request), id(request.params))));
  api.add(r.hold, async (request) => presentRetention(await setLegalHold(deps, ctx.caller(request), id(request.params), request.body)));
  api.add(r.proposal, async (request) => presentRetention(await proposeDisposal(deps, ctx.caller(request), id(request.params), request.body)));
  api.add(r.disposal, async (request) => presentRetention(await confirmDisposal(deps, ctx.caller(request), id(request.params))));
}
