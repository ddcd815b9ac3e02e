/** "Sync now": an administrator asks for a directory sync at once. */
import { AppError } from '../../domain/errors';
import { assertMay } from '../gate';
import type { AppDeps } from '../deps';
import type { Caller, DirectorySource, DirectorySyncRun } from '../ports';
import { syncDirectory } from './sync-directory';

export async function syncDirectoryNow(deps: AppDeps, caller: Caller, source: DirectorySource, bootstrapAdministrators: readonly string[]): Promise<DirectorySyncRun> {
  await assertMay(deps, caller, 'administer');
  const run = await syncDirectory(deps, source, { trigger: 'on_demand', requestedBy: caller.person.id, bootstrapAdministrators, httpRequestId: caller.requestId });
  if (run.status === 'failed') throw new AppError('unavailable', `The directory could not be read, so nobody's roles changed: ${run.error ?? 'unknown error'}. It will be tried again.`);
  return run;
}
