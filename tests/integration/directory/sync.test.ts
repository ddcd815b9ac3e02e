/**
 * The directory sync against the local Graph stand-in (tests/support/graph-server.ts), on both
 * databases: people and roles from one Entra ID group per role, all or nothing.
 */
import { DEFAULT_PROTOCOL_SETTINGS } from '../../../src/domain/protocol';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../../src/app/deps';
import { syncDirectory } from '../../../src/app/directory/sync-directory';
import { updateRegisterEntry } from '../../../src/app/directory/update-register-entry';
import { createTokenProvider } from '../../../src/graph/app-tokens';
import { createGraphJsonClient, type GraphJsonClient } from '../../../src/graph/json-client';
import { graphDirectorySource } from '../../../src/identity/graph-directory-source';
import type { Role } from '../../../src/domain/roles';
import type { SqlStore } from '../../../src/store';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../support/databases';
import { startGraphServer, type DirectoryUserFixture, type GraphServer } from '../../support/graph-server';
import { fullRequest } from '../../support/store-fixtures';

const GROUPS: Record<Role, string> = {
  social_worker: 'a0000000-0000-4000-8000-000000000001',
  team_manager: 'a0000000-0000-4000-8000-000000000002',
  service_manager: 'a0000000-0000-4000-8000-000000000003',
  service_director: 'a0000000-0000-4000-8000-000000000004',
  access_worker: 'a0000000-0000-4000-8000-000000000005',
  administrator: 'a0000000-0000-4000-8000-000000000006',
};
const NESTED_TEAM = 'a0000000-0000-4000-8000-0000000000aa';
const oid = (n: number) => `b0000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

function user(n: number, name: string, managerId: string | null = null): DirectoryUserFixture {
  const upn = `${name.toLowerCase().replace(' ', '.')}@council.example`;
  return { id: oid(n), displayName: name, mail: upn, userPrincipalName: upn, managerId };
}

const TM1 = user(1, 'Tess Manager');
const TM2 = user(2, 'Tariq Manager');
const SW1 = user(3, 'Sam Worker', TM1.id);
const SW2 = user(4, 'Sian Worker', TM1.id);
const SM = user(5, 'Sue Manager');
const AW = user(6, 'Alex Access');
const ADMIN = user(7, 'Ada Admin');
const NOBODY = user(8, 'Nora Outside');

function seedDirectory(graph: GraphServer): void {
  for (const u of [TM1, TM2, SW1, SW2, SM, AW, ADMIN, NOBODY]) graph.users.set(u.id, { ...u });
  // Social workers through a nested team group, as councils often arrange them.
  graph.groups.set(NESTED_TEAM, new Set([SW1.id, SW2.id]));
  graph.groups.set(GROUPS.social_worker, new Set([NESTED_TEAM]));
  graph.groups.set(GROUPS.team_manager, new Set([TM1.id, TM2.id]));
  graph.groups.set(GROUPS.service_manager, new Set([SM.id]));
  graph.groups.set(GROUPS.service_director, new Set());
  graph.groups.set(GROUPS.access_worker, new Set([AW.id]));
  graph.groups.set(GROUPS.administrator, new Set([ADMIN.id]));
}

describe.each(BACKENDS)('directory sync on %s', (backend) => {
  let graph: GraphServer;
  let database: TestDatabase;
  let store: SqlStore;
  let client: GraphJsonClient;
  let deps: AppDeps;
  let tick = 0;

  const sync = (bootstrapAdministrators: string[] = []) =>
    syncDirectory(deps, graphDirectorySource(client, GROUPS), { trigger: 'schedule', requestedBy: null, bootstrapAdministrators });
  const person = async (n: DirectoryUserFixture) => store.read.directory.byAadObjectId(n.id);

  beforeEach(async () => {
    graph = await startGraphServer();
    seedDirectory(graph);
    database = await freshDatabase(backend);
    store = await database.open();
    client = createGraphJsonClient({
      baseUrl: graph.graphBaseUrl,
      token: createTokenProvider({ tenantId: graph.tenantId, clientId: 'c', clientSecret: 's', authorityHost: graph.authorityHost, caCertificate: graph.ca }),
      policy: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 2000 },
      caCertificate: graph.ca,
    });
    deps = {
      store,
      directory: store.read.directory,
      evidence: { put: () => Promise.reject(new Error('unused')), get: () => Promise.reject(new Error('unused')), remove: () => Promise.reject(new Error('unused')) },
      clock: { now: () => new Date(Date.parse('2026-11-30T09:00:00Z') + (tick += 1000)) },
      settings: { workflow: { authorisationValidDays: 28 }, protocol: DEFAULT_PROTOCOL_SETTINGS, maxEvidenceBytes: 1024 },
    };
  });

  afterEach(async () => {
    client.close();
    await store.close();
    await database.drop();
    await graph.stop();
  });

  test('reads every page by following @odata.nextLink, nested groups included', async () => {
    graph.directoryPageSize = 1;
    const run = await sync();
    expect(run).toMatchObject({ status: 'succeeded', added: 7, changed: 0, removed: 0, problems: [] });
    const memberCalls = graph.callsTo('members').map((c) => c.path);
    expect(memberCalls.filter((p) => p.includes(GROUPS.social_worker))).toHaveLength(2);
    expect(memberCalls.some((p) => p.includes('%24skiptoken=1') || p.includes('$skiptoken=1'))).toBe(true);
    expect((await person(SW2))?.roles).toEqual(['social_worker']);
    expect(await person(NOBODY)).toBeNull();
    expect((await person(SW1))?.managerId).toBe((await person(TM1))?.id);
  });

  test('waits out a 429 with Retry-After and then reads the page', async () => {
    graph.inject({ target: 'members', kind: 'status', status: 429, retryAfter: 1 });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    const statuses = graph.callsTo('members').map((c) => c.status);
    expect(statuses[0]).toBe(429);
    expect(statuses[1]).toBe(200);
    expect((await person(TM1))?.roles).toEqual(['team_manager']);
  });

  test('a person added, changed and removed between two syncs, and a manager change', async () => {
    await sync();
    graph.users.set(SW2.id, { ...SW2, displayName: 'Sian Worker-Jones', managerId: TM2.id });
    graph.groups.get(GROUPS.access_worker)?.delete(AW.id);
    graph.groups.get(GROUPS.service_director)?.add(NOBODY.id);

    const run = await sync();
    expect(run).toMatchObject({ status: 'succeeded', added: 1, changed: 1, removed: 1 });
    expect(await person(NOBODY)).toMatchObject({ roles: ['service_director'], active: true });
    expect(await person(SW2)).toMatchObject({ displayName: 'Sian Worker-Jones', managerId: (await person(TM2))?.id });
    expect(await person(AW)).toMatchObject({ roles: [], active: false });
    expect(await store.read.directory.withRole('access_worker')).toEqual([]);

    const audit = await store.db.selectFrom('audit_entries').select(['action', 'detail']).where('request_id', 'is', null).orderBy('seq').execute();
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === 'directory_synced')).toHaveLength(2);
    expect(actions.filter((a) => a === 'directory_person_added')).toHaveLength(8);
    expect(actions.filter((a) => a === 'directory_person_changed')).toHaveLength(2);
  });

  test('open requests held by someone who lost the role are flagged to the service manager', async () => {
    await sync();
    const aw = await person(AW);
    const sw = await person(SW1);
    const request = fullRequest({ state: 'searching', originatingWorkerId: sw?.id ?? '', accessWorkerId: aw?.id ?? '', designatedAccessWorkerId: null, doubtResolvers: [] });
    await store.transaction((uow) => uow.requests.insert(request));
    graph.groups.get(GROUPS.access_worker)?.delete(AW.id);

    const run = await sync();
    expect(run.flaggedRequests).toBe(1);
    const messages = await store.read.outbox.listForRequest(request.id);
    expect(messages).toEqual([
      expect.objectContaining({ kind: 'holder_lost_role', recipientId: (await person(SM))?.id, payload: expect.objectContaining({ personId: aw?.id, role: 'access_worker' }) }),
    ]);
    expect((await store.read.audit.listForRequest(request.id)).map((e) => e.action)).toEqual(['holder_lost_role']);
  });

  test('a request waiting for its team manager follows the worker to their new line manager', async () => {
    await sync();
    const sw = (await person(SW1))!;
    const tm1 = (await person(TM1))!;
    const tm2 = (await person(TM2))!;
    const waiting = fullRequest({ state: 'awaiting_team_manager', originatingWorkerId: sw.id, teamManagerId: tm1.id, agreement: null, authorisation: null, accessWorkerId: null, designatedAccessWorkerId: null, doubtResolvers: [] });
    const agreed = fullRequest({ state: 'awaiting_service_director', originatingWorkerId: sw.id, teamManagerId: tm1.id, authorisation: null, accessWorkerId: null, designatedAccessWorkerId: null, doubtResolvers: [] });
    await store.transaction(async (uow) => {
      await uow.requests.insert(waiting);
      await uow.requests.insert(agreed);
    });
    graph.users.set(SW1.id, { ...SW1, managerId: TM2.id });
    await sync();
    expect(await store.read.requests.get(waiting.id)).toMatchObject({ teamManagerId: tm2.id, version: waiting.version + 1, state: 'awaiting_team_manager' });
    expect((await store.read.outbox.listForRequest(waiting.id)).map((m) => [m.kind, m.recipientId]).sort()).toEqual([
      ['agree_request', tm2.id],
      ['request_updated', null],
    ]);
    expect((await store.read.audit.listForRequest(waiting.id)).map((e) => [e.action, e.detail])).toEqual([
      ['team_manager_changed', { from: tm1.id, to: tm2.id, why: 'The originating worker’s line manager changed in the directory.' }],
    ]);
    // Agreed already: the team manager who agreed it keeps that part.
    expect(await store.read.requests.get(agreed.id)).toMatchObject({ teamManagerId: tm1.id, version: agreed.version });
  });

  test('an administrator ending an access worker’s authorisation flags the requests they hold to the service manager', async () => {
    await sync();
    const admin = (await person(ADMIN))!;
    const aw = (await person(AW))!;
    await store.transaction((uow) => uow.people.setRegisterDates(aw.id, { trainedOn: '2026-01-01', authorisedUntil: null }));
    const request = fullRequest({ state: 'searching', originatingWorkerId: (await person(SW1))?.id ?? '', accessWorkerId: aw.id, designatedAccessWorkerId: null, doubtResolvers: [] });
    await store.transaction((uow) => uow.requests.insert(request));
    // Ended yesterday (the clock is 30 November).
    await updateRegisterEntry(deps, { person: admin, requestId: 'register-edit' }, aw.id, { trainedOn: '2026-01-01', authorisedUntil: '2026-11-29' });
    expect(await store.read.outbox.listForRequest(request.id)).toEqual([
      expect.objectContaining({ kind: 'holder_lost_role', recipientId: (await person(SM))?.id, payload: expect.objectContaining({ personId: aw.id, role: 'access_worker' }) }),
    ]);
    expect((await store.read.audit.listForRequest(request.id)).map((e) => [e.action, e.actorId])).toEqual([['holder_lost_role', admin.id]]);
    // Changing the dates of someone still authorised flags nothing more.
    await updateRegisterEntry(deps, { person: admin, requestId: 'register-edit' }, aw.id, { trainedOn: '2026-01-01', authorisedUntil: '2026-11-28' });
    expect(await store.read.outbox.listForRequest(request.id)).toHaveLength(1);
  });

  test('leaving the access worker group ends the register authorisation: coming back needs an administrator', async () => {
    await sync();
    const aw = (await person(AW))!;
    await store.transaction((uow) => uow.people.setRegisterDates(aw.id, { trainedOn: '2026-01-01', authorisedUntil: '2027-09-01' }));
    graph.groups.get(GROUPS.access_worker)?.delete(AW.id);
    await sync();
    graph.groups.get(GROUPS.access_worker)?.add(AW.id);
    await sync();
    expect(await person(AW)).toMatchObject({ roles: ['access_worker'], active: true, accessWorkerTrainedOn: '2026-01-01', accessWorkerAuthorisedUntil: '2026-11-29' });
    const ended = await store.db.selectFrom('audit_entries').select('detail').where('action', '=', 'register_entry_ended').execute();
    expect(ended.map((e) => e.detail)).toEqual([{ personId: aw.id, before: { authorisedUntil: '2027-09-01' }, after: { authorisedUntil: '2026-11-29' } }]);
  });

  test('bootstrap administrators by user principal name or object id; an unknown name is reported', async () => {
    const run = await sync([NOBODY.userPrincipalName.toUpperCase(), SM.id, 'ghost@council.example']);
    expect(await person(NOBODY)).toMatchObject({ roles: ['administrator'], active: true });
    expect((await person(SM))?.roles).toEqual(['administrator', 'service_manager']);
    expect(run.problems).toEqual([expect.objectContaining({ kind: 'bootstrap_administrator_not_found', displayName: 'ghost@council.example' })]);

    const again = await sync([]);
    expect(again.removed).toBe(1);
    expect(await person(NOBODY)).toMatchObject({ roles: [], active: false });
  });

  test('a disabled account loses its roles and is reported, bootstrap administrator or not; its open requests are flagged', async () => {
    await sync();
    const aw = await person(AW);
    const request = fullRequest({ state: 'searching', originatingWorkerId: (await person(SW1))?.id ?? '', accessWorkerId: aw?.id ?? '', designatedAccessWorkerId: null, doubtResolvers: [] });
    await store.transaction((uow) => uow.requests.insert(request));
    // A leaver: disabled in Entra ID but still in the groups.
    graph.users.set(AW.id, { ...AW, accountEnabled: false });
    graph.users.set(NOBODY.id, { ...NOBODY, accountEnabled: false });

    const run = await sync([NOBODY.userPrincipalName]);
    expect(run).toMatchObject({ status: 'succeeded', removed: 1, flaggedRequests: 1 });
    expect(await person(AW)).toMatchObject({ roles: [], active: false });
    expect(await person(NOBODY)).toBeNull();
    expect(run.problems).toEqual([
      expect.objectContaining({ kind: 'account_disabled', aadObjectId: AW.id, groups: ['access_worker'] }),
      expect.objectContaining({ kind: 'account_disabled', aadObjectId: NOBODY.id, groups: ['administrator'] }),
    ]);
    // The advanced query Graph requires for the cast to users, on every page.
    expect(graph.callsTo('members').every((c) => c.status === 200)).toBe(true);

    graph.users.set(AW.id, { ...AW, accountEnabled: true });
    expect((await sync()).problems).toEqual([]);
    expect(await person(AW)).toMatchObject({ roles: ['access_worker'], active: true });
  });

  test('a person in the administrator and access worker groups is reported, and not made an access worker', async () => {
    graph.groups.get(GROUPS.access_worker)?.add(ADMIN.id);
    const run = await sync();
    expect(run.problems).toEqual([expect.objectContaining({ kind: 'roles_not_combined', aadObjectId: ADMIN.id, groups: ['administrator', 'access_worker'], withheld: 'access_worker' })]);
    expect((await person(ADMIN))?.roles).toEqual(['administrator']);
  });

  test.each([
    ['a 5xx that outlasts the retries', (g: GraphServer) => g.inject({ target: 'manager', kind: 'status', status: 503, times: 50 })],
    ['a Retry-After longer than the sync will wait', (g: GraphServer) => g.inject({ target: 'members', kind: 'status', status: 429, retryAfter: 600 })],
    ['a malformed page', (g: GraphServer) => g.inject({ target: 'members', kind: 'malformed' })],
  ])('all or nothing: %s changes nobody, and the next sync applies everything', async (_name, fault) => {
    await sync();
    const before = await store.read.directory.all();
    graph.groups.get(GROUPS.team_manager)?.delete(TM2.id);
    graph.users.set(SW1.id, { ...SW1, managerId: TM2.id });
    fault(graph);

    const failed = await sync();
    expect(failed).toMatchObject({ status: 'failed', added: 0, changed: 0, removed: 0 });
    expect(failed.error).toBeTruthy();
    expect(await store.read.directory.all()).toEqual(before);
    expect(await store.read.directorySync.failuresSince((await store.read.directorySync.latestSucceeded())?.finishedAt ?? null)).toBe(1);

    graph.clearFaults();
    const retried = await sync();
    expect(retried.status).toBe('succeeded');
    expect((await person(TM2))?.active).toBe(false);
    expect((await person(SW1))?.managerId).toBeNull();
  });

  test('a guest account in a role group, and an account Graph does not say is enabled, hold no role and are reported', async () => {
    graph.users.set(NOBODY.id, { ...NOBODY, userType: 'Guest' });
    graph.groups.get(GROUPS.service_director)?.add(NOBODY.id);
    graph.users.set(SM.id, { ...SM, accountEnabled: null });
    // An account from before userType existed has none: it is a member.
    graph.users.set(TM2.id, { ...TM2, userType: null });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(run.problems.map((p) => [p.kind, p.displayName, p.groups]).sort()).toEqual([
      ['account_state_unknown', 'Sue Manager', ['service_manager']],
      ['guest_account', 'Nora Outside', ['service_director']],
    ]);
    expect(await person(NOBODY)).toBeNull();
    expect(await person(SM)).toBeNull();
    expect((await person(TM2))?.roles).toEqual(['team_manager']);
    expect(graph.callsTo('members').every((c) => c.path.includes('userType'))).toBe(true);
  });

  /** `store`, whose transactions stop at `when` (a method of `uow.people` or `uow.directory`) until `release`. */
  function pausedStore(at: { on: 'people' | 'directory'; method: 'getForUpdate' | 'all' }) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const paused = new Promise<void>((resolve) => (reached = resolve));
    const slow = Object.create(store) as SqlStore;
    slow.transaction = (work) =>
      store.transaction((uow) => {
        const part = uow[at.on] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        const original = part[at.method]?.bind(part);
        const wrapped = { ...part, [at.method]: async (...args: unknown[]) => { const result = await original?.(...args); reached(); await gate; return result; } };
        return work({ ...uow, [at.on]: wrapped });
      });
    return { slow, paused, release };
  }

  test('a leaver disabled in Entra ID while an administrator edits their register entry stays removed', async () => {
    await sync();
    const admin = (await person(ADMIN))!;
    const aw = (await person(AW))!;
    const { slow, paused, release } = pausedStore({ on: 'people', method: 'getForUpdate' });
    const edit = updateRegisterEntry({ ...deps, store: slow }, { person: admin, requestId: 'register-edit' }, aw.id, { trainedOn: '2026-01-01', authorisedUntil: null });
    await paused;
    graph.users.set(AW.id, { ...AW, accountEnabled: false });
    const syncing = sync();
    // Time for the sync to commit had it not to wait for the edit (on PGlite it queues anyway).
    await Promise.race([syncing, new Promise((resolve) => setTimeout(resolve, 1000))]);
    release();
    await edit;
    expect(await syncing).toMatchObject({ status: 'succeeded', removed: 1 });
    expect(await person(AW)).toMatchObject({ roles: [], active: false, accessWorkerTrainedOn: '2026-01-01' });
  });

  test('a register edit made while a sync runs is not written over by the sync', async () => {
    await sync();
    const admin = (await person(ADMIN))!;
    const aw = (await person(AW))!;
    graph.users.set(AW.id, { ...AW, displayName: 'Alex Access-Smith' });
    const { slow, paused, release } = pausedStore({ on: 'directory', method: 'all' });
    const syncing = syncDirectory({ ...deps, store: slow }, graphDirectorySource(client, GROUPS), { trigger: 'schedule', requestedBy: null, bootstrapAdministrators: [] });
    await paused;
    const edit = updateRegisterEntry(deps, { person: admin, requestId: 'register-edit' }, aw.id, { trainedOn: '2026-01-01', authorisedUntil: '2027-01-01' });
    // PGlite is one connection: the edit can only queue behind the sync. On PostgreSQL it commits
    // while the sync holds its earlier reading of the person.
    if (backend !== 'PGlite') await edit;
    release();
    await Promise.all([syncing, edit]);
    expect(await person(AW)).toMatchObject({ displayName: 'Alex Access-Smith', roles: ['access_worker'], active: true, accessWorkerTrainedOn: '2026-01-01', accessWorkerAuthorisedUntil: '2027-01-01' });
  });

  test('a next link to another host is refused rather than sent the token', async () => {
    const foreign = createGraphJsonClient({ baseUrl: graph.graphBaseUrl, token: async () => 'x', policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, caCertificate: graph.ca });
    await expect(foreign.get(`https://graph.example.org/v1.0/users/${randomUUID()}`)).rejects.toThrow(/another host/);
    foreign.close();
  });
});
