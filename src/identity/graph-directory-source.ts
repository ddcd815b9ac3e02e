/**
 * The directory as Entra ID holds it, read through Microsoft Graph with an app-only token
 * (GroupMember.Read.All and User.Read.All, application permissions; docs/tenant-setup.md).
 *
 * Each role is one security group. Its members are read with
 * `GET /groups/{id}/transitiveMembers/microsoft.graph.user` — "This operation is transitive and
 * returns a flat list of all nested members" — so nested groups count, and the cast leaves out
 * devices and service principals. The cast makes it an advanced query: "This header and $count are
 * required when using the $search, $filter, $orderby, or OData cast query parameters" (the
 * `ConsistencyLevel: eventual` header; group: list transitiveMembers). A member whose account is
 * disabled (`accountEnabled` false), or a guest (`userType` "Guest"), is read too, so the sync can take
 * their roles away and say why.
 * Each person's manager is `GET /users/{id}/manager`.
 *
 * Why a full read rather than delta queries: `groups/delta` reports changes to a group's direct
 * members only, so following nested groups would mean keeping a delta token per nested group and
 * computing the transitive closure ourselves; `users/delta` would be needed again for managers.
 * Six groups of a few hundred people are a handful of pages, read in seconds, and a full read
 * cannot drift from the directory the way a missed delta would.
 */
import type { DirectorySource, DirectoryUser } from '../app/ports';
import type { Role } from '../domain/roles';
import { GraphHttpError } from '../graph/errors';
import type { GraphJsonClient } from '../graph/json-client';

/** `accountEnabled` and `userType` are "Returned only on $select" (user resource). */
const USER_FIELDS = 'id,displayName,mail,userPrincipalName,accountEnabled,userType';
const ADVANCED_QUERY = { ConsistencyLevel: 'eventual' } as const;

function toUser(value: unknown, where: string): DirectoryUser {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v.id !== 'string' || !v.id) throw new GraphHttpError(0, 'malformed_page', `Graph listed a member of ${where} without an id.`, null);
  const upn = typeof v.userPrincipalName === 'string' ? v.userPrincipalName : null;
  return {
    aadObjectId: v.id,
    displayName: typeof v.displayName === 'string' && v.displayName ? v.displayName : (upn ?? v.id),
    email: typeof v.mail === 'string' ? v.mail : null,
    userPrincipalName: upn,
    // Deny by default: an account Graph does not say is enabled (left out, or null with too few permissions) holds no role.
    accountEnabled: typeof v.accountEnabled === 'boolean' ? v.accountEnabled : null,
    // userType: "Member" or "Guest"; accounts from before it existed have none, and are members.
    guest: v.userType === 'Guest',
  };
}

export function graphDirectorySource(client: GraphJsonClient, groups: Partial<Record<Role, string>>): DirectorySource {
  const roles = (Object.keys(groups) as Role[]).filter((r) => groups[r]);
  return {
    roles,
    async members(role) {
      const group = groups[role];
      if (!group) return [];
      const values = await client.getAll<unknown>(`/groups/${encodeURIComponent(group)}/transitiveMembers/microsoft.graph.user?$count=true&$select=${USER_FIELDS}&$top=999`, ADVANCED_QUERY);
      return values.map((v) => toUser(v, `the ${role} group`));
    },
    async managerOf(aadObjectId) {
      try {
        const manager = await client.get<{ id?: unknown }>(`/users/${encodeURIComponent(aadObjectId)}/manager?$select=id`);
        return typeof manager?.id === 'string' ? manager.id : null;
      } catch (error) {
        // Graph answers 404 when the person has no manager.
        if (error instanceof GraphHttpError && error.status === 404) return null;
        throw error;
      }
    },
    async findUser(idOrUpn) {
      try {
        return toUser(await client.get<unknown>(`/users/${encodeURIComponent(idOrUpn)}?$select=${USER_FIELDS}`), 'the directory');
      } catch (error) {
        if (error instanceof GraphHttpError && error.status === 404) return null;
        throw error;
      }
    },
  };
}
