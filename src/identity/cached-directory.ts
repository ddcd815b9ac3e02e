/**
 * The directory changes rarely (role register updates) but is read on every call: for sign-in and
 * for names. One snapshot serves every look-up until it is older than `ttlMs`.
 */
import type { Directory } from '../app/ports';
import type { Person } from '../domain/roles';

export interface CachedDirectory extends Directory {
  invalidate(): void;
}

interface Snapshot {
  at: number;
  people: Person[];
  byId: Map<string, Person>;
  byOid: Map<string, Person>;
}

export function cachedDirectory(inner: Directory, ttlMs = 30_000, clock: () => number = Date.now): CachedDirectory {
  let snapshot: Snapshot | null = null;
  let loading: Promise<Snapshot> | null = null;

  async function current(): Promise<Snapshot> {
    if (snapshot && clock() - snapshot.at < ttlMs) return snapshot;
    loading ??= inner
      .all()
      .then((people) => {
        const fresh: Snapshot = { at: clock(), people, byId: new Map(people.map((p) => [p.id, p])), byOid: new Map(people.map((p) => [p.aadObjectId.toLowerCase(), p])) };
        snapshot = fresh;
        return fresh;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  return {
    async get(id) {
      return (await current()).byId.get(id) ?? null;
    },
    async byAadObjectId(oid) {
      return (await current()).byOid.get(oid.toLowerCase()) ?? null;
    },
    async withRole(role) {
      return (await current()).people.filter((p) => p.active && p.roles.includes(role));
    },
    async all() {
      return (await current()).people;
    },
    invalidate() {
      snapshot = null;
    },
  };
}
