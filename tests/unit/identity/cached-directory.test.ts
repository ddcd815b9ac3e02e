import type { Directory } from '../../../src/app/ports';
import type { Person } from '../../../src/domain/roles';
import { cachedDirectory } from '../../../src/identity/cached-directory';

const person = (id: string, roles: Person['roles'], active = true): Person => ({ id, displayName: id, aadObjectId: `OID-${id}`, roles, active });

describe('cached directory', () => {
  test('serves look-ups from one snapshot until it is older than the time to live', async () => {
    let people = [person('a', ['social_worker']), person('b', ['team_manager']), person('c', ['team_manager'], false)];
    let loads = 0;
    const inner: Directory = {
      get: async () => null,
      byAadObjectId: async () => null,
      withRole: async () => [],
      all: async () => {
        loads += 1;
        return people;
      },
    };
    let now = 0;
    const directory = cachedDirectory(inner, 1000, () => now);
    expect((await directory.get('a'))?.id).toBe('a');
    expect((await directory.byAadObjectId('oid-b'))?.id).toBe('b');
    expect((await directory.withRole('team_manager')).map((p) => p.id)).toEqual(['b']);
    expect(loads).toBe(1);
    people = [person('a', ['social_worker', 'access_worker'])];
    now = 999;
    expect(await directory.get('b')).not.toBeNull();
    now = 1000;
    expect(await directory.get('b')).toBeNull();
    expect((await directory.get('a'))?.roles).toEqual(['social_worker', 'access_worker']);
    expect(loads).toBe(2);
    directory.invalidate();
    await directory.all();
    expect(loads).toBe(3);
  });
});
