/** The /api/admin routes for administrators: the directory, its sync, and the access worker register. */
import { adminRoutes } from '../api-contract';
import type { ApiRoutes } from '../api-route';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/deps';
import type { Caller, DirectorySource } from '../../app/ports';
import { setRegisterLimit } from '../../app/directory/set-register-limit';
import { syncDirectoryNow } from '../../app/directory/sync-now';
import { updateRegisterEntry } from '../../app/directory/update-register-entry';
import { viewDirectory } from '../../app/directory/view-directory';
import { viewRegister } from '../../app/directory/view-register';
import { presentDirectory, presentRegister, presentSyncRun } from '../presenters/admin';

export interface AdminRouteContext {
  deps: AppDeps;
  caller(request: FastifyRequest): Caller;
  source: DirectorySource;
  bootstrapAdministrators: readonly string[];
  /** Called after anything that changes people, so sign-in sees it at once. */
  directoryChanged(): void;
}

export async function registerAdminRoutes(api: ApiRoutes, ctx: AdminRouteContext): Promise<void> {
  const { deps } = ctx;
  const r = adminRoutes;
  api.add(r.directory, async (request) => presentDirectory(await viewDirectory(deps, ctx.caller(request))));
  api.add(r.syncDirectory, async (request) => {
    const run = await syncDirectoryNow(deps, ctx.caller(request), ctx.source, ctx.bootstrapAdministrators);
    ctx.directoryChanged();
    return presentSyncRun(run);
  });
  api.add(r.register, async (request) => presentRegister(await viewRegister(deps, ctx.caller(request))));
  api.add(r.registerLimit, async (request) => presentRegister(await setRegisterLimit(deps, ctx.caller(request), request.body)));
  api.add(r.registerEntry, async (request) => {
    const result = await updateRegisterEntry(deps, ctx.caller(request), (request.params as { personId: string }).personId, request.body);
    ctx.directoryChanged();
    return presentRegister(result);
  });
}
