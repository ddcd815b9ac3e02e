/** The request repository and transactions, on PGlite and on a PostgreSQL server. */
import { linkPending } from '../../../src/audit';
import { randomUUID } from 'node:crypto';
import type { InvestigationRequest } from '../../../src/domain/request';
import { sql } from 'kysely';
import type { SqlStore } from '../../../src/store';
import { createRequestRepository } from '../../../src/store/repositories/requests';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { auditInput, barrier, fullPerson, fullRequest } from '../../support/store-fixtures';

class Conflict extends Error {}

describe.each(BACKENDS)('requests on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('round-trips every field through insert, get, getForUpdate and list', async () => {
    const parent = fullRequest({ state: 'shared' });
    const request = fullRequest({ linkedFromRequestId: parent.id });
    await store.read.requests.insert(parent);
    await store.read.requests.insert(request);

    expect(await store.read.requests.get(request.id)).toEqual(request);
    expect(await store.transaction((uow) => uow.requests.getForUpdate(request.id))).toEqual(request);
    const listed = await store.read.requests.list({ involving: 'osw-1' });
    expect(listed.find((r) => r.id === request.id)).toEqual(request);
    const stored = await store.read.requests.get(request.id);
    expect(typeof stored?.version).toBe('number');
    expect(stored?.form.subjects[1]?.description).toBe('Tall man with a red van, seen at the address');
  });

  it('reads several requests in one call, leaving out ids that are not there or cannot be request ids', async () => {
    const [first, second] = [fullRequest(), fullRequest()];
    await store.read.requests.insert(first);
    await store.read.requests.insert(second);
    const found = await store.read.requests.getMany([second.id, randomUUID(), first.id, 'not an id\u0000']);
    expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual([first, second].sort((a, b) => a.id.localeCompare(b.id)));
    expect(await store.read.requests.getMany([])).toEqual([]);
  });

  it('reads a request for a decision with the people its rules read and their deputies in force, and nothing for a request not there', async () => {
    const tag = randomUUID().slice(0, 8);
    const [worker, manager, serviceManager, accessWorker] = [`osw-${tag}`, `tm-${tag}`, `sm-${tag}`, `aw-${tag}`];
    const people = [fullPerson(worker, { managerId: manager }), fullPerson(manager, { managerId: serviceManager }), fullPerson(serviceManager, { managerId: null }), fullPerson(accessWorker)];
    const inForce = { id: randomUUID(), teamManagerId: manager, deputyId: `deputy-${tag}`, from: '2026-12-01', to: '2026-12-14', createdAt: '2026-11-20T09:00:00.000Z', endedAt: null };
    const request = fullRequest({ originatingWorkerId: worker, teamManagerId: null });
    await store.transaction(async (uow) => {
      for (const person of people) await uow.people.upsert(person);
      await uow.deputies.insert(inForce);
      await uow.deputies.insert({ ...inForce, id: randomUUID(), deputyId: `later-${tag}`, from: '2026-12-15', to: '2026-12-20' });
      await uow.deputies.insert({ ...inForce, id: randomUUID(), deputyId: `ended-${tag}`, endedAt: '2026-11-21T09:00:00.000Z' });
      await uow.requests.insert(request);
    });

    const read = await store.transaction((uow) => uow.requests.getForDecision(request.id, { people: [accessWorker, `nobody-${tag}`], today: '2026-12-03' }));
    expect(read?.request).toEqual(request);
    // The originating worker and their line manager; the request has no team manager yet.
    expect([...(read?.covered ?? [])].sort()).toEqual([accessWorker, manager, `nobody-${tag}`, worker].sort());
    expect([...(read?.people ?? [])].sort((a, b) => a.id.localeCompare(b.id))).toEqual([people[3], people[1], people[0]].sort((a, b) => a!.id.localeCompare(b!.id)));
    expect(read?.deputyships).toEqual([inForce]);

    await store.transaction((uow) => uow.requests.update({ ...request, teamManagerId: manager, version: request.version + 1 }, request));
    const submitted = await store.transaction((uow) => uow.requests.getForDecision(request.id, { people: [], today: '2026-12-03' }));
    // With a team manager, their own line manager (the case's service manager) is read too.
    expect([...(submitted?.covered ?? [])].sort()).toEqual([manager, serviceManager, worker].sort());
    expect(await store.transaction((uow) => uow.requests.getForDecision(randomUUID(), { people: [], today: '2026-12-03' }))).toBeNull();
  });

  it('reads the active holders of the roles a decision notifies with the request, as the directory lists them', async () => {
    const tag = randomUUID().slice(0, 8);
    const director = fullPerson(`sd-${tag}`, { roles: ['service_director'] });
    const both = fullPerson(`sdm-${tag}`, { roles: ['service_manager', 'service_director'] });
    const left = fullPerson(`left-${tag}`, { roles: ['service_director'], active: false });
    const request = fullRequest();
    await store.transaction(async (uow) => {
      for (const person of [director, both, left]) await uow.people.upsert(person);
      await uow.requests.insert(request);
    });
    const read = await store.transaction((uow) => uow.requests.getForDecision(request.id, { people: [], today: '2026-12-03', roles: ['service_director', 'service_manager'] }));
    const directory = store.read.directory;
    expect(read?.roleHolders.service_director).toEqual(await directory.withRole('service_director'));
    expect(read?.roleHolders.service_manager).toEqual(await directory.withRole('service_manager'));
    expect(read?.roleHolders.service_director?.map((p) => p.id)).toEqual(expect.arrayContaining([director.id, both.id]));
    expect(read?.roleHolders.service_director?.map((p) => p.id)).not.toContain(left.id);
    const none = await store.transaction((uow) => uow.requests.getForDecision(request.id, { people: [], today: '2026-12-03' }));
    expect(none?.roleHolders).toEqual({});
  });

  it('round-trips a fresh draft with its nulls and empty lists', async () => {
    const draft = fullRequest({
      state: 'draft',
      version: 1,
      teamManagerId: null,
      agreement: null,
      authorisation: null,
      designatedAccessWorkerId: null,
      accessWorkerId: null,
      doubtResolvers: [],
      stateBeforeHold: null,
      lastReason: null,
      firstSearchStartedAt: null,
      log: null,
      feedback: null,
      sharedWith: [],
      submittedAt: null,
      closedAt: null,
    });
    await store.read.requests.insert(draft);
    expect(await store.read.requests.get(draft.id)).toEqual(draft);
    expect(await store.read.requests.get(randomUUID())).toBeNull();
    expect(await store.transaction((uow) => uow.requests.getForUpdate(randomUUID()))).toBeNull();
  });

  it('writes an update when the version matches, and refuses a stale one without changing anything', async () => {
    const request = fullRequest({ state: 'draft', version: 1, agreement: null });
    await store.read.requests.insert(request);

    const submitted: InvestigationRequest = { ...request, state: 'awaiting_team_manager', version: 2, submittedAt: '2026-11-20T10:00:00.000Z' };
    expect(await store.read.requests.update(submitted, request)).toBe(true);
    expect(await store.read.requests.get(request.id)).toEqual(submitted);

    const stale: InvestigationRequest = { ...request, state: 'cancelled', version: 2, closedAt: '2026-11-21T10:00:00.000Z' };
    expect(await store.read.requests.update(stale, request)).toBe(false);
    expect(await store.read.requests.get(request.id)).toEqual(submitted);

    expect(await store.read.requests.update({ ...submitted, id: randomUUID() }, submitted)).toBe(false);
  });

  it('lets exactly one of two concurrent transactions with the same expected version win', async () => {
    const request = fullRequest({ state: 'awaiting_team_manager', version: 3 });
    await store.read.requests.insert(request);
    // On a server both transactions are open at once before either writes; PGlite has one
    // session, so there they run one after the other.
    const meet = backend === 'PostgreSQL' ? barrier(2) : async () => {};

    const act = (toState: 'awaiting_service_director' | 'declined', actorId: string) =>
      store.transaction(async (uow) => {
        await meet();
        // Both act on version 3, the version their screens showed.
        const next = { ...request, state: toState, version: 4, updatedAt: new Date().toISOString() };
        if (!(await uow.requests.update(next, request))) throw new Conflict(`${actorId} lost`);
        await uow.audit.append(auditInput({ requestId: request.id, actorId, fromState: request.state, toState }));
        await uow.outbox.add([{ requestId: request.id, recipientId: actorId, kind: 'status_changed', payload: { toState } }]);
        return toState;
      });

    const results = await Promise.allSettled([act('awaiting_service_director', 'tm-1'), act('declined', 'tm-2')]);
    const won = results.filter((r): r is PromiseFulfilledResult<'awaiting_service_director' | 'declined'> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(Conflict);

    const winner = won[0]?.value;
    const stored = await store.read.requests.get(request.id);
    expect(stored?.state).toBe(winner);
    expect(stored?.version).toBe(4);
    const audit = await store.read.audit.listForRequest(request.id);
    expect(audit.map((e) => e.toState)).toEqual([winner]);
    const outbox = await store.read.outbox.listForRequest(request.id);
    expect(outbox.map((m) => m.payload)).toEqual([{ toState: winner }]);
  });

  it.each(['getForUpdate', 'getForDecision'] as const)('holds the row read by %s until the transaction ends', async (read) => {
    const request = fullRequest({ state: 'authorised', version: 5 });
    await store.read.requests.insert(request);
    const events: string[] = [];
    let locked!: () => void;
    const lockedByFirst = new Promise<void>((resolve) => {
      locked = resolve;
    });

    const first = store.transaction(async (uow) => {
      await (read === 'getForUpdate' ? uow.requests.getForUpdate(request.id) : uow.requests.getForDecision(request.id, { people: [], today: '2026-12-03' }));
      events.push('first locked');
      locked();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await uow.requests.update({ ...request, state: 'assigned', version: 6 }, request);
      events.push('first committing');
    });
    await lockedByFirst;
    const second = store.transaction(async (uow) => {
      const seen = read === 'getForUpdate' ? await uow.requests.getForUpdate(request.id) : (await uow.requests.getForDecision(request.id, { people: [], today: '2026-12-03' }))?.request;
      events.push(`second read version ${seen?.version}`);
    });
    await Promise.all([first, second]);
    expect(events).toEqual(['first locked', 'first committing', 'second read version 6']);
  });

  it('leaves nothing behind when the work throws: no request, audit entry or outbox message', async () => {
    const request = fullRequest();
    const failure = new Error('the use case failed after writing');
    await expect(
      store.transaction(async (uow) => {
        await uow.requests.insert(request);
        await uow.audit.append(auditInput({ requestId: request.id }));
        await uow.outbox.add([{ requestId: request.id, recipientId: 'tm-1', kind: 'agree_request', payload: { reference: request.reference } }]);
        expect(await uow.requests.get(request.id)).toEqual(request);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await store.read.requests.get(request.id)).toBeNull();
    expect(await store.read.audit.listForRequest(request.id)).toEqual([]);
    expect(await store.read.outbox.listForRequest(request.id)).toEqual([]);
    // The chain is unbroken by the rolled-back entry: the next entry, once linked, follows the last committed one.
    const next = await store.read.audit.append(auditInput({ requestId: request.id }));
    await linkPending(store.db);
    const { count } = await store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    const linked = await store.db.selectFrom('audit_entries').select('seq').where('id', '=', next.id).executeTakeFirstOrThrow();
    expect(Number(linked.seq)).toBe(Number(count));
  });

  it('does not report success for a transaction whose failed statement was swallowed', async () => {
    const request = fullRequest();
    await expect(
      store.transaction(async (uow) => {
        await uow.requests.insert(request);
        await uow.requests.insert(request).catch(() => undefined);
      }),
    ).rejects.toThrow();
    expect(await store.read.requests.get(request.id)).toBeNull();
  });

  it.each(['Asia/Kolkata', 'America/St_Johns', 'Europe/London'])('reads timestamps the same whatever the session time zone (%s)', async (zone) => {
    const request = fullRequest({ createdAt: '2026-07-01T23:59:59.999Z', updatedAt: '2026-01-31T00:00:00.001Z' });
    await store.read.requests.insert(request);
    const read = await store.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('TimeZone', ${zone}, true)`.execute(trx);
      expect((await sql<{ at: string }>`SELECT ${request.createdAt}::timestamptz::text AS at`.execute(trx)).rows[0]?.at).not.toMatch(/\+00$/);
      return createRequestRepository(trx).get(request.id);
    });
    expect(read).toEqual(request);
  });

  it('refuses a query outside the unit of work while a transaction is open', async () => {
    await expect(store.transaction(() => store.read.requests.get(randomUUID()))).rejects.toThrow(
      'A query ran outside the unit of work while a transaction was open',
    );
  });

  it('filters lists by state and by anyone involved, newest first, with a limit', async () => {
    const tag = randomUUID().slice(0, 8);
    const p = (role: string) => `${role}-${tag}`;
    const base = { agreement: null, authorisation: null, doubtResolvers: [], sharedWith: [], designatedAccessWorkerId: null, accessWorkerId: null };
    const r1 = fullRequest({ ...base, state: 'draft', originatingWorkerId: p('osw'), teamManagerId: null, createdAt: '2026-01-01T00:00:00.000Z' });
    const r2 = fullRequest({
      ...base,
      state: 'awaiting_service_director',
      originatingWorkerId: p('other'),
      teamManagerId: p('tm'),
      agreement: { by: p('agreer'), at: '2026-01-02T00:00:00.000Z' },
      createdAt: '2026-01-02T00:00:00.000Z',
    });
    const authorisation = fullRequest().authorisation;
    const r3 = fullRequest({
      ...base,
      state: 'on_hold',
      originatingWorkerId: p('other'),
      teamManagerId: null,
      authorisation: authorisation && { ...authorisation, by: p('sd') },
      designatedAccessWorkerId: p('designated'),
      accessWorkerId: p('aaw'),
      doubtResolvers: [{ personId: p('sm'), role: 'service_manager' }],
      createdAt: '2026-01-03T00:00:00.000Z',
    });
    const r4 = fullRequest({ ...base, state: 'shared', originatingWorkerId: p('other'), teamManagerId: null, sharedWith: [{ personId: p('reader'), at: '2026-01-05T00:00:00.000Z' }], createdAt: '2026-01-04T00:00:00.000Z' });
    for (const r of [r1, r2, r3, r4]) await store.read.requests.insert(r);

    const ids = async (filter: Parameters<SqlStore['read']['requests']['list']>[0]) => (await store.read.requests.list(filter)).map((r) => r.id);
    expect(await ids({ involving: p('osw') })).toEqual([r1.id]);
    expect(await ids({ involving: p('tm') })).toEqual([r2.id]);
    expect(await ids({ involving: p('agreer') })).toEqual([r2.id]);
    expect(await ids({ involving: p('sd') })).toEqual([r3.id]);
    expect(await ids({ involving: p('designated') })).toEqual([r3.id]);
    expect(await ids({ involving: p('aaw') })).toEqual([r3.id]);
    expect(await ids({ involving: p('sm') })).toEqual([r3.id]);
    expect(await ids({ involving: p('reader') })).toEqual([r4.id]);
    expect(await ids({ involving: p('other') })).toEqual([r4.id, r3.id, r2.id]);
    expect(await ids({ involving: p('other'), limit: 2 })).toEqual([r4.id, r3.id]);
    expect(await ids({ involving: p('other'), states: ['awaiting_service_director', 'shared'] })).toEqual([r4.id, r2.id]);
    expect(await ids({ involving: p('other'), states: [] })).toEqual([]);
    expect(await ids({ involving: p('nobody') })).toEqual([]);
    expect((await store.read.requests.list({ states: ['on_hold'] })).map((r) => r.id)).toContain(r3.id);

    const live = (await store.read.requests.listWithLiveAuthorisation()).map((r) => r.id);
    expect(live).toContain(r3.id);
    expect(live).not.toContain(r1.id);
    expect(live).not.toContain(r2.id);
    expect(live).not.toContain(r4.id);
  });

  it('numbers references per year, without duplicates under concurrency', async () => {
    expect(await store.read.requests.nextReference(2031)).toBe('SMC-2031-000001');
    expect(await store.read.requests.nextReference(2031)).toBe('SMC-2031-000002');
    expect(await store.read.requests.nextReference(2032)).toBe('SMC-2032-000001');
    const many = await Promise.all(Array.from({ length: 12 }, () => store.transaction((uow) => uow.requests.nextReference(2033))));
    expect([...many].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `SMC-2033-${String(i + 1).padStart(6, '0')}`));
  });
});
