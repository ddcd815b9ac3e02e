/** The /api/admin routes for administrators: the directory, its sync, and the access worker register. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/deps';
import type { Caller, DirectorySource } from '../../app/ports';
import { setRegisterLimit } from '../../app/directory/set-register-limit';
import { syncDirectoryNow } from '../../app/directory/sync-now';
import { updateRegisterEntry } from '../../app/directory/update-register-entry';
import { viewDirectory } from '../../app/directory/view-directory';
import { viewRegister } from '../../app/directory/view-register';

export interface AdminRouteContext {
  deps: AppDeps;
  caller(request: FastifyRequest): Caller;
  source: DirectorySource;
  bootstrapAdministrators: readonly string[];
  /** Called after anything that changes people, so sign-in sees it at once. */
  directoryChanged(): void;
}

export async function registerAdminRoutes(app: FastifyInstance, ctx: AdminRouteContext): Promise<void> {
  const { deps } = ctx;
  app.get('/api/admin/directory', async (request) => viewDirectory(deps, ctx.caller(request)));
  app.post('/api/admin/directory/sync', async (request) => {
    const run = await syncDirectoryNow(deps, ctx.caller(request), ctx.source, ctx.bootstrapAdministrators);
    ctx.directoryChanged();
    return run;
  });
  app.get('/api/admin/register', async (request) => viewRegister(deps, ctx.caller(request)));
  app.put('/api/admin/register/limit', async (request) => setRegisterLimit(deps, ctx.caller(request), request.body));
  app.put('/api/admin/register/people/:personId', async (request) => {
    const result = await updateRegisterEntry(deps, ctx.caller(request), (request.params as { personId: string }).personId, request.body);
    ctx.directoryChanged();
    return result;
  });
}
