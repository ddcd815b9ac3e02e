/** Finding earlier checks of a person, and team managers' deputies, on PGlite and on a PostgreSQL server. */
import { randomUUID } from 'node:crypto';
import type { SqlStore } from '../../../src/store';
import { requestSubjectKeys } from '../../../src/domain/repeat-checks';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { rekeyNamesInEveryScript } from '../../../src/store/migrations/090_rekey_names_in_every_script';
import { fullRequest } from '../../support/store-fixtures';

describe.each(BACKENDS)('checked subjects and deputies on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('keys the people an authorisation put in scope, and finds them by link or by name and date of birth since a time', async () => {
    const earlier = fullRequest({ reference: 'SMC-2026-100001' });
    await store.read.requests.insert(earlier);
    // A draft naming the same person is not a check: it is not keyed.
    const draft = fullRequest({ reference: 'SMC-2026-100002', state: 'draft', authorisation: null });
    await store.read.requests.insert(draft);

    const later = fullRequest({ state: 'awaiting_team_manager', authorisation: null });
    later.form = {
      ...later.form,
      subjects: [{ id: 's-a', kind: 'service_user', name: 'JANE  doe', dateOfBirth: '01/01/1990', profileUrl: 'https://m.facebook.com/Jane.Doe/?ref=bookmarks' }],
    };
    const keys = requestSubjectKeys(later).map((k) => k.key);
    const found = await store.read.requests.checkedSince(keys, '2026-01-01T00:00:00.000Z');
    expect(found.map((f) => [f.requestId, f.reference, f.key.split(':')[0], f.authorisedAt]).sort()).toEqual([
      [earlier.id, 'SMC-2026-100001', 'person', '2026-11-03T14:00:00.123Z'],
      [earlier.id, 'SMC-2026-100001', 'profile', '2026-11-03T14:00:00.123Z'],
    ]);
    expect(await store.read.requests.checkedSince(keys, '2026-11-03T14:00:00.124Z')).toEqual([]);
    expect(await store.read.requests.checkedSince([], '2026-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('keys a request when its authorisation is written, once however often it is written again', async () => {
    const request = fullRequest({ state: 'awaiting_service_director', authorisation: null, version: 3 });
    request.form = { ...request.form, subjects: [{ id: 's-1', kind: 'family_member', name: 'Sam Hill', profileUrl: 'https://facebook.com/sam.hill.77' }] };
    await store.read.requests.insert(request);
    const key = 'profile:facebook.com/sam.hill.77';
    expect(await store.read.requests.checkedSince([key], '2026-01-01T00:00:00.000Z')).toEqual([]);
    const authorised = { ...request, state: 'authorised' as const, version: 4, authorisation: { ...fullRequest().authorisation!, scope: { ...fullRequest().authorisation!.scope, subjectIds: ['s-1'] } } };
    expect(await store.transaction((uow) => uow.requests.update(authorised, request))).toBe(true);
    expect(await store.transaction((uow) => uow.requests.update({ ...authorised, version: 5 }, authorised))).toBe(true);
    expect(await store.read.requests.checkedSince([key], '2026-01-01T00:00:00.000Z')).toHaveLength(1);
  });

  it('migration 090 keys again requests keyed when names were reduced to a–z', async () => {
    const request = fullRequest();
    request.form = { ...request.form, subjects: [{ id: 's-ar', kind: 'service_user', name: 'محمد علي', dateOfBirth: '01/02/1990' }] };
    request.authorisation = { ...request.authorisation!, scope: { ...request.authorisation!.scope, subjectIds: ['s-ar'] } };
    await store.read.requests.insert(request);
    // As the old normalisation left them: no name key at all, and the person key's name blank.
    await store.db.deleteFrom('disclosure_keys').where('request_id', '=', request.id).execute();
    await store.db.deleteFrom('checked_subjects').where('request_id', '=', request.id).execute();
    await rekeyNamesInEveryScript.up(store.db as never);
    const keys = await store.db.selectFrom('disclosure_keys').select('match_key').where('request_id', '=', request.id).execute();
    expect(keys.map((k) => k.match_key)).toContain('name:محمد علي');
    const found = await store.read.requests.checkedSince(['person:محمد علي|1990-02-01'], '2026-01-01T00:00:00.000Z');
    expect(found.map((f) => f.requestId)).toEqual([request.id]);
  });

  it('keeps deputyships: those in force on a day, those to come, and ended ones left out', async () => {
    const manager = `tm-${randomUUID().slice(0, 8)}`;
    const first = { id: randomUUID(), teamManagerId: manager, deputyId: 'deputy-1', from: '2026-12-01', to: '2026-12-14', createdAt: '2026-11-20T09:00:00.000Z', endedAt: null };
    const second = { ...first, id: randomUUID(), deputyId: 'deputy-2', from: '2027-01-04', to: '2027-01-08' };
    await store.transaction(async (uow) => {
      await uow.deputies.insert(first);
      await uow.deputies.insert(second);
    });
    expect((await store.read.deputies.currentAndComing(manager, '2026-11-30')).map((d) => d.deputyId)).toEqual(['deputy-1', 'deputy-2']);
    expect(await store.read.deputies.inForceOf(manager, '2026-11-30')).toEqual([]);
    expect(await store.read.deputies.inForceOf(manager, '2026-12-14')).toEqual([first]);
    expect((await store.read.deputies.inForceFor('deputy-1', '2026-12-01')).map((d) => d.teamManagerId)).toEqual([manager]);
    expect(await store.read.deputies.inForceFor('deputy-1', '2026-12-15')).toEqual([]);
    await store.transaction((uow) => uow.deputies.end(first.id, '2026-12-02T10:00:00.000Z'));
    expect(await store.read.deputies.inForceFor('deputy-1', '2026-12-03')).toEqual([]);
    expect((await store.read.deputies.currentAndComing(manager, '2026-12-03')).map((d) => d.deputyId)).toEqual(['deputy-2']);
  });
});
