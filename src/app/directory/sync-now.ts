/** "Sync now": an administrator asks for a directory sync at once. */
import { AppError, forbidden } from '../../domain/errors';
import { mayAdminister } from '../../domain/policy';
import type { AppDeps } from '../deps';
import type { Caller, DirectorySource, DirectorySyncRun } from '../ports';
import { syncDirectory } from './sync-directory';

export async function syncDirectoryNow(deps: AppDeps, caller: Caller, source: DirectorySource, bootstrapAdministrators: readonly string[]): Promise<DirectorySyncRun> {
  if (!mayAdminister(caller.person)) throw forbidden('Only administrators can sync the directory.');
  const run = await syncDirectory(deps, source, { trigger: 'on_demand', requestedBy: caller.person.id, bootstrapAdministrators, httpRequestId: caller.requestId });
  if (run.status === 'failed') throw new AppError('unavailable', `The directory could not be read, so nobody's roles changed: ${run.error ?? 'unknown error'}. It will be tried again.`);
  return run;
}
