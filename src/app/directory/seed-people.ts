/**
 * Local mode's people are written at every start, so a demo person someone edited or removed comes
 * back as shipped. Only those the register holds differently are written: one read, and no write at
 * all on every start but the first (seven writes there made each start wait on the database).
 */
import type { Person } from '../../domain/roles';
import type { Store } from '../ports';

function samePerson(stored: Person, wanted: Person): boolean {
  return (
    stored.displayName === wanted.displayName &&
    (stored.email ?? null) === (wanted.email ?? null) &&
    stored.aadObjectId === wanted.aadObjectId &&
    stored.roles.join() === wanted.roles.join() &&
    (stored.managerId ?? null) === (wanted.managerId ?? null) &&
    (stored.team ?? null) === (wanted.team ?? null) &&
    (stored.accessWorkerTrainedOn ?? null) === (wanted.accessWorkerTrainedOn ?? null) &&
    (stored.accessWorkerAuthorisedUntil ?? null) === (wanted.accessWorkerAuthorisedUntil ?? null) &&
    stored.active === wanted.active
  );
}

/** Writes each of `people` the register does not already hold exactly so; returns how many were written. */
export async function seedPeople(store: Pick<Store, 'read' | 'people'>, people: readonly Person[]): Promise<number> {
  const stored = new Map((await store.read.directory.all()).map((person) => [person.id, person]));
  const changed = people.filter((person) => {
    const held = stored.get(person.id);
    return !held || !samePerson(held, person);
  });
  for (const person of changed) await store.people.upsert(person);
  return changed.length;
}
