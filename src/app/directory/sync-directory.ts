/**
 * Brings the people and their roles in line with the directory (one Entra ID group per role).
 *
 * All or nothing: everything is read from the directory first; if any read fails (throttling that
 * outlasts the retries, a server error, a malformed page) the run is recorded as failed and nobody's
 * roles change. Only a complete reading is written, in one transaction with its audit entries and
 * the notifications it owes.
 *
 * Someone no longer in a group loses that role. Open requests they hold in that part are flagged to
 * the service managers (or, when there are none, the service directors), never left stranded.
 */
import { randomUUID } from 'node:crypto';
import { accessWorkerStanding, ROLES_NOT_COMBINED, type Person, type Role } from '../../domain/roles';
import { addCalendarDays, londonDate } from '../../domain/dates';
import { flagRequestsHeld } from './flag-requests-held';
import { followLineManagers } from './follow-line-manager';
import type { AppDeps } from '../deps';
import type { DirectorySource, DirectorySyncRun, DirectorySyncTrigger, DirectoryUser, SyncProblem, UnitOfWork } from '../ports';

export interface SyncDirectoryOptions {
  trigger: DirectorySyncTrigger;
  /** The administrator who asked for it; null for start-up and the schedule. */
  requestedBy: string | null;
  /** Object ids or user principal names made administrators whatever the groups say (BOOTSTRAP_ADMINISTRATORS). */
  bootstrapAdministrators: readonly string[];
  httpRequestId?: string | null;
}

interface Reading {
  people: Map<string, { user: DirectoryUser; roles: Set<Role>; managerAadObjectId: string | null }>;
  problems: SyncProblem[];
}

/** Manager look-ups in flight at once: enough to be quick, few enough not to provoke throttling. */
const MANAGER_LOOKUPS_AT_ONCE = 4;

/** Why someone in a role group holds no role here, and what to do about it. */
function exclusion(user: DirectoryUser): Pick<SyncProblem, 'kind' | 'reason'> {
  if (user.accountEnabled === false) return { kind: 'account_disabled', reason: 'The account is disabled in Entra ID, so it holds no role here: enable it again, or take it out of the groups.' };
  if (user.accountEnabled === null) {
    return { kind: 'account_state_unknown', reason: 'Microsoft Graph did not say whether this account is enabled, so it holds no role here: grant the app User.Read.All (docs/tenant-setup.md).' };
  }
  return { kind: 'guest_account', reason: 'A guest account from another organisation holds no role here: take it out of the groups, or give the person an account of the council’s.' };
}

async function readDirectory(source: DirectorySource, bootstrap: readonly string[]): Promise<Reading> {
  const people: Reading['people'] = new Map();
  const problems: SyncProblem[] = [];
  const excluded = new Map<string, { user: DirectoryUser; groups: Set<Role> }>();
  const add = (user: DirectoryUser, role: Role) => {
    const key = user.aadObjectId.toLowerCase();
    // A disabled account (a leaver, a suspension), one the directory does not say is enabled, and a
    // guest from another organisation stay in their groups until someone tidies them; they hold no role here.
    if (user.accountEnabled !== true || user.guest) {
      const entry = excluded.get(key) ?? { user, groups: new Set<Role>() };
      entry.groups.add(role);
      excluded.set(key, entry);
      return;
    }
    const entry = people.get(key) ?? { user, roles: new Set<Role>(), managerAadObjectId: null };
    entry.roles.add(role);
    people.set(key, entry);
  };
  for (const role of source.roles) {
    for (const user of await source.members(role)) add(user, role);
  }
  for (const name of bootstrap) {
    const wanted = name.toLowerCase();
    const known = [...people.values(), ...excluded.values()].find((p) => p.user.aadObjectId.toLowerCase() === wanted || p.user.userPrincipalName?.toLowerCase() === wanted);
    const user = known?.user ?? (await source.findUser(name));
    if (user) add(user, 'administrator');
    else problems.push({ kind: 'bootstrap_administrator_not_found', aadObjectId: null, displayName: name, groups: [], withheld: null, reason: 'BOOTSTRAP_ADMINISTRATORS names someone the directory does not know.' });
  }
  for (const { user, groups } of excluded.values()) {
    problems.push({ ...exclusion(user), aadObjectId: user.aadObjectId, displayName: user.displayName, groups: [...groups], withheld: null });
  }
  const queue = [...people.values()];
  await Promise.all(
    Array.from({ length: MANAGER_LOOKUPS_AT_ONCE }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) entry.managerAadObjectId = await source.managerOf(entry.user.aadObjectId);
    }),
  );
  for (const entry of people.values()) {
    for (const rule of ROLES_NOT_COMBINED) {
      if (rule.roles.every((r) => entry.roles.has(r))) {
        problems.push({ kind: 'roles_not_combined', aadObjectId: entry.user.aadObjectId, displayName: entry.user.displayName, groups: [...rule.roles], withheld: rule.withheld, reason: rule.reason });
        entry.roles.delete(rule.withheld);
      }
    }
  }
  return { people, problems };
}

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

async function apply(uow: UnitOfWork, source: DirectorySource, reading: Reading, run: DirectorySyncRun, options: SyncDirectoryOptions, at: string): Promise<DirectorySyncRun> {
  const managed = new Set<Role>([...source.roles, 'administrator']);
  const existing = await uow.directory.all();
  const byOid = new Map(existing.map((p) => [p.aadObjectId.toLowerCase(), p]));
  const idFor = (oid: string | null): string | null => {
    if (!oid) return null;
    const key = oid.toLowerCase();
    if (!reading.people.has(key)) return null; // a manager outside every role group plays no part in the app
    return byOid.get(key)?.id ?? oid;
  };
  const today = londonDate(new Date(at));
  const yesterday = addCalendarDays(today, -1);
  const actorId = options.requestedBy ?? 'system';
  const actorRole = options.requestedBy ? 'administrator' : 'system';
  const audit = (action: string, detail: Record<string, unknown>) =>
    uow.audit.append({ at, actorId, actorRole, action, requestId: null, fromState: null, toState: null, reason: null, detail, httpRequestId: options.httpRequestId ?? null });

  const lostRoles: { person: Person; lost: Role[] }[] = [];
  const updated: { before: Person | null; after: Person }[] = [];
  for (const [key, entry] of reading.people) {
    const before = byOid.get(key) ?? null;
    const kept = (before?.roles ?? []).filter((r) => !managed.has(r));
    const roles = [...new Set<Role>([...kept, ...entry.roles])].sort();
    const after: Person = {
      ...(before ?? { id: entry.user.aadObjectId, team: null, accessWorkerTrainedOn: null, accessWorkerAuthorisedUntil: null }),
      aadObjectId: entry.user.aadObjectId,
      displayName: entry.user.displayName,
      email: entry.user.email,
      roles,
      managerId: idFor(entry.managerAadObjectId),
      active: roles.length > 0,
    };
    const changed =
      !before ||
      before.displayName !== after.displayName ||
      (before.email ?? null) !== after.email ||
      !sameRoles([...before.roles].sort(), roles) ||
      (before.managerId ?? null) !== after.managerId ||
      before.active !== after.active;
    if (changed) updated.push({ before, after });
    const lost = (before?.roles ?? []).filter((r) => managed.has(r) && !roles.includes(r));
    if (lost.length) lostRoles.push({ person: after, lost });
  }
  for (const before of existing) {
    if (reading.people.has(before.aadObjectId.toLowerCase())) continue;
    const lost = before.roles.filter((r) => managed.has(r));
    if (lost.length === 0) continue;
    const roles = before.roles.filter((r) => !managed.has(r));
    const after: Person = { ...before, roles, active: before.active && roles.length > 0 };
    updated.push({ before, after });
    lostRoles.push({ person: after, lost });
  }

  for (const { after } of updated) await uow.people.applyDirectory(after);
  for (const { before, after } of updated) {
    await audit(before ? 'directory_person_changed' : 'directory_person_added', {
      personId: after.id,
      before: before ? { displayName: before.displayName, roles: before.roles, managerId: before.managerId ?? null, active: before.active } : null,
      after: { displayName: after.displayName, roles: after.roles, managerId: after.managerId ?? null, active: after.active },
    });
  }

  // A worker's new line manager takes over what waits for their agreement.
  const managerChanges = updated.filter((u) => u.before && (u.before.managerId ?? null) !== u.after.managerId).map((u) => ({ person: u.after, from: u.before?.managerId ?? null, to: u.after.managerId ?? null }));
  await followLineManagers(uow, managerChanges, at, { actorId, actorRole, httpRequestId: options.httpRequestId ?? null });

  // Whom to tell: read after the people were written, so it is the directory as it now stands.
  let flagged = 0;
  for (const { person, lost } of lostRoles) {
    flagged += await flagRequestsHeld(uow, person, lost, at, { actorId, actorRole, httpRequestId: options.httpRequestId ?? null });
    // Out of the access worker group, out of the register: coming back takes an administrator's new date (and the limit).
    if (lost.includes('access_worker') && person.accessWorkerTrainedOn && accessWorkerStanding(person, today) === null) {
      await uow.people.setRegisterDates(person.id, { trainedOn: person.accessWorkerTrainedOn, authorisedUntil: yesterday });
      await audit('register_entry_ended', { personId: person.id, before: { authorisedUntil: person.accessWorkerAuthorisedUntil ?? null }, after: { authorisedUntil: yesterday } });
    }
  }

  const added = updated.filter((u) => !u.before).length;
  const removed = updated.filter((u) => u.before?.active && !u.after.active).length;
  const done: DirectorySyncRun = { ...run, added, removed, changed: updated.length - added - removed, flaggedRequests: flagged, problems: reading.problems };
  await uow.directorySync.record(done);
  await audit('directory_synced', { runId: done.id, trigger: done.trigger, added, changed: done.changed, removed, flaggedRequests: flagged, problems: done.problems });
  return done;
}

export async function syncDirectory(deps: AppDeps, source: DirectorySource, options: SyncDirectoryOptions): Promise<DirectorySyncRun> {
  const startedAt = deps.clock.now().toISOString();
  const run: DirectorySyncRun = {
    id: randomUUID(),
    startedAt,
    finishedAt: startedAt,
    trigger: options.trigger,
    requestedBy: options.requestedBy,
    status: 'succeeded',
    added: 0,
    changed: 0,
    removed: 0,
    flaggedRequests: 0,
    problems: [],
    error: null,
  };
  let reading: Reading;
  try {
    reading = await readDirectory(source, options.bootstrapAdministrators);
  } catch (error) {
    const finishedAt = deps.clock.now().toISOString();
    const failed: DirectorySyncRun = { ...run, finishedAt, status: 'failed', error: error instanceof Error ? error.message : String(error) };
    await deps.store.transaction(async (uow) => {
      await uow.directorySync.record(failed);
      await uow.audit.append({
        at: finishedAt,
        actorId: options.requestedBy ?? 'system',
        actorRole: options.requestedBy ? 'administrator' : 'system',
        action: 'directory_sync_failed',
        requestId: null,
        fromState: null,
        toState: null,
        reason: failed.error,
        detail: { runId: failed.id, trigger: failed.trigger },
        httpRequestId: options.httpRequestId ?? null,
      });
    });
    return failed;
  }
  const finishedAt = deps.clock.now().toISOString();
  return deps.store.transaction((uow) => apply(uow, source, reading, { ...run, finishedAt }, options, finishedAt));
}
