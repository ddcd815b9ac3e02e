/** The administrator's view of the directory: everyone with their synced roles (read only), and the last sync. */
import { assertMay } from '../gate';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';

export async function viewDirectory(deps: AppDeps, caller: Caller) {
  await assertMay(deps, caller, 'administer');
  const people = await deps.store.read.directory.all();
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  const lastSync = await deps.store.read.directorySync.latest();
  const lastSucceeded = await deps.store.read.directorySync.latestSucceeded();
  return {
    people: people.map((p) => ({
      id: p.id,
      displayName: p.displayName,
      email: p.email ?? null,
      roles: p.roles,
      manager: p.managerId ? (names.get(p.managerId) ?? null) : null,
      active: p.active,
    })),
    lastSync,
    lastSucceeded,
    /** Failed runs since the last one that succeeded: retried with back-off, shown so someone looks. */
    failuresSinceLastSuccess: await deps.store.read.directorySync.failuresSince(lastSucceeded?.finishedAt ?? null),
  };
}
