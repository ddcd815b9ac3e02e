/** The roles of the protocol, in the names the API uses. */
export const ROLES = [
  'social_worker',
  'team_manager',
  'service_director',
  'service_manager',
  'access_worker',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  social_worker: 'Originating social worker',
  team_manager: 'Team manager',
  service_director: 'Service director',
  service_manager: 'Service manager',
  access_worker: 'Authorised access worker',
  administrator: 'Administrator',
};

/** A person in the council directory, as the workflow needs them. */
export interface Person {
  id: string;
  displayName: string;
  email?: string | null;
  aadObjectId: string;
  roles: Role[];
  managerId?: string | null;
  team?: string | null;
  /** For access workers: the register's dates. An access worker may act only while authorised. */
  accessWorkerTrainedOn?: string | null;
  accessWorkerAuthorisedUntil?: string | null;
  active: boolean;
}

export function hasRole(person: Pick<Person, 'roles'>, role: Role): boolean {
  return person.roles.includes(role);
}
