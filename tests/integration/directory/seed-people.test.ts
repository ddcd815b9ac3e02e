/**
 * Local mode writes its demo people at every start, but only where the register differs: a restart
 * of an unchanged database writes nothing, and a demo person someone changed comes back as shipped.
 */
import { seedPeople } from '../../../src/app/directory/seed-people';
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import type { Person } from '../../../src/domain/roles';
import type { SqlStore } from '../../../src/store';
import { BACKENDS, openFreshStore } from '../../support/databases';

/** A person as the register returns them: every optional field present, null when empty. */
const asStored = (person: Person): Person => ({ email: null, managerId: null, team: null, accessWorkerTrainedOn: null, accessWorkerAuthorisedUntil: null, ...person });

describe.each(BACKENDS)('seeding the demo people on %s', (backend) => {
  let store: SqlStore;
  let written: string[];
  beforeAll(async () => {
    store = await openFreshStore(backend);
    const upsert = store.people.upsert.bind(store.people);
    // Every write the seeding makes, by person.
    store = { ...store, people: { ...store.people, upsert: async (person) => (written.push(person.id), upsert(person)) } };
  });
  beforeEach(() => {
    written = [];
  });
  afterAll(async () => {
    await store?.close();
  });

  test('a new register gets every demo person', async () => {
    expect(await seedPeople(store, DEMO_PEOPLE)).toBe(DEMO_PEOPLE.length);
    expect(await store.read.directory.all()).toEqual(expect.arrayContaining(DEMO_PEOPLE.map(asStored)));
  });

  test('a register that already holds them exactly is not written', async () => {
    expect(await seedPeople(store, DEMO_PEOPLE)).toBe(0);
    expect(written).toEqual([]);
  });

  test('a demo person changed or made inactive is written back as shipped, and only that one', async () => {
    const [changed, deactivated] = DEMO_PEOPLE.filter((p) => p.roles.includes('access_worker'));
    if (!changed || !deactivated) throw new Error('The demo directory has fewer than two access workers.');
    await store.people.upsert({ ...changed, team: 'Elsewhere', accessWorkerAuthorisedUntil: null, roles: [...changed.roles].reverse() });
    await store.people.upsert({ ...deactivated, active: false });
    written = [];
    expect(await seedPeople(store, DEMO_PEOPLE)).toBe(2);
    expect(written.sort()).toEqual([changed.id, deactivated.id].sort());
    expect(await store.read.directory.get(changed.id)).toEqual(asStored(changed));
    expect(await store.read.directory.get(deactivated.id)).toEqual(asStored(deactivated));
  });
});
