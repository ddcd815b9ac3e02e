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
  /** Team managers this person stands in for today as their named deputy; set by the use cases, not stored on the person. */
  standsInFor?: string[];
}

/**
 * Why a person may not act as an access worker today, or null when they may: the register is of
 * trained staff (DESIGN.md §1), so a training date must be recorded and reached, and the
 * authorisation must not have ended. Dates are London calendar dates (YYYY-MM-DD).
 */
export function accessWorkerStanding(person: Pick<Person, 'accessWorkerTrainedOn' | 'accessWorkerAuthorisedUntil'>, today: string): 'untrained' | 'not_yet_trained' | 'ended' | null {
  const trained = person.accessWorkerTrainedOn;
  if (!trained) return 'untrained';
  if (trained > today) return 'not_yet_trained';
  const until = person.accessWorkerAuthorisedUntil;
  return until && until < today ? 'ended' : null;
}

export function hasRole(person: Pick<Person, 'roles'>, role: Role): boolean {
  return person.roles.includes(role);
}

/**
 * Roles one person may not hold together, whatever their groups say. An administrator keeps the
 * access worker register (who is authorised, until when), so an administrator who were also an
 * access worker could authorise their own searches: the access worker role is withheld until the
 * groups are put right. Every other pair is allowed, because the workflow already stops one person
 * playing two parts on the same request.
 */
export const ROLES_NOT_COMBINED: readonly { roles: readonly [Role, Role]; withheld: Role; reason: string }[] = [
  {
    roles: ['administrator', 'access_worker'],
    withheld: 'access_worker',
    reason: 'An administrator keeps the access worker register and may not be on it.',
  },
];
