/**
 * Who may use the pilot's evaluation and the data-protection tools. Kept as one table beside the
 * workflow's (policy.ts) so both read the same way; nothing else decides these permissions.
 */
import { hasRole, type Person, type Role } from './roles';

export const GOVERNANCE_ABILITIES = [
  'view_evaluation',
  'answer_survey',
  'search_disclosure',
  'propose_disposal',
  'confirm_disposal',
  'place_legal_hold',
  'manage_pilot_settings',
] as const;
export type GovernanceAbility = (typeof GOVERNANCE_ABILITIES)[number];

export const GOVERNANCE_RULES: Record<GovernanceAbility, { roles: readonly Role[] | 'anyone'; what: string }> = {
  view_evaluation: { roles: ['service_manager', 'service_director'], what: 'see the pilot evaluation' },
  answer_survey: { roles: 'anyone', what: 'answer the process survey' },
  search_disclosure: { roles: ['administrator', 'service_manager'], what: 'search for a subject access disclosure' },
  propose_disposal: { roles: ['service_manager'], what: 'propose disposing of a request' },
  confirm_disposal: { roles: ['service_director'], what: 'confirm the disposal of a request' },
  place_legal_hold: { roles: ['service_manager', 'service_director', 'administrator'], what: 'place or lift a legal hold' },
  manage_pilot_settings: { roles: ['administrator'], what: 'change the pilot settings' },
};

export function may(person: Pick<Person, 'roles'>, ability: GovernanceAbility): boolean {
  const { roles } = GOVERNANCE_RULES[ability];
  return roles === 'anyone' || roles.some((role) => hasRole(person, role));
}

export function governanceAbilities(person: Pick<Person, 'roles'>): GovernanceAbility[] {
  return GOVERNANCE_ABILITIES.filter((a) => may(person, a));
}
