/**
 * Local mode's directory source: the seeded demo people, as if each role were an Entra ID group.
 * A sync against it changes nothing, so "sync now" in local mode shows the machinery at work.
 */
import type { DirectorySource, DirectoryUser } from '../app/ports';
import { ROLES, type Person } from '../domain/roles';
import { DEMO_PEOPLE } from './demo-directory';

const asUser = (p: Person): DirectoryUser => ({ aadObjectId: p.aadObjectId, displayName: p.displayName, email: p.email ?? null, userPrincipalName: p.email ?? null, accountEnabled: true, guest: false });

export function demoDirectorySource(people: readonly Person[] = DEMO_PEOPLE): DirectorySource {
  return {
    roles: ROLES,
    async members(role) {
      return people.filter((p) => p.roles.includes(role)).map(asUser);
    },
    async managerOf(aadObjectId) {
      const managerId = people.find((p) => p.aadObjectId === aadObjectId)?.managerId;
      return people.find((p) => p.id === managerId)?.aadObjectId ?? null;
    },
    async findUser(idOrUpn) {
      const wanted = idOrUpn.toLowerCase();
      const person = people.find((p) => p.aadObjectId === wanted || p.email?.toLowerCase() === wanted);
      return person ? asUser(person) : null;
    },
  };
}
