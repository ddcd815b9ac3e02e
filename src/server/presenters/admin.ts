/** Administration as the API answers it: each field named here, so a directory row's other columns never ride along. */
import type { DirectorySyncRun, DirectoryView, RegisterView } from '../../contracts/admin';
import type { DirectorySyncRun as StoredRun } from '../../app/ports';
import type { viewDirectory } from '../../app/directory/view-directory';
import type { readRegister } from '../../app/directory/register';

export function presentSyncRun(run: StoredRun): DirectorySyncRun {
  return {
    id: run.id,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    trigger: run.trigger,
    requestedBy: run.requestedBy,
    status: run.status,
    added: run.added,
    changed: run.changed,
    removed: run.removed,
    flaggedRequests: run.flaggedRequests,
    problems: run.problems.map((p) => ({ kind: p.kind, aadObjectId: p.aadObjectId, displayName: p.displayName, groups: [...p.groups], withheld: p.withheld, reason: p.reason })),
    error: run.error,
  };
}

export function presentDirectory(view: Awaited<ReturnType<typeof viewDirectory>>): DirectoryView {
  return {
    people: view.people.map((p) => ({ id: p.id, displayName: p.displayName, email: p.email, roles: [...p.roles], manager: p.manager, active: p.active })),
    lastSync: view.lastSync ? presentSyncRun(view.lastSync) : null,
    lastSucceeded: view.lastSucceeded ? presentSyncRun(view.lastSucceeded) : null,
    failuresSinceLastSuccess: view.failuresSinceLastSuccess,
  };
}

export function presentRegister(register: Awaited<ReturnType<typeof readRegister>>): RegisterView {
  return {
    limit: register.limit,
    authorised: register.authorised,
    entries: register.entries.map((e) => ({ id: e.id, displayName: e.displayName, trainedOn: e.trainedOn, authorisedUntil: e.authorisedUntil, status: e.status })),
  };
}
