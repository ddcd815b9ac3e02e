/**
 * The seeded people of local mode: enough to walk every path of the protocol, including a person
 * who holds two roles (to show the one-role-per-request rule) and the six access workers of the pilot.
 * Object ids are fixed, made-up GUIDs so conversation references survive restarts.
 */
import type { Person } from '../domain/roles';

const oid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const person = (p: Omit<Person, 'active' | 'aadObjectId'> & { n: number }): Person => {
  const { n, ...rest } = p;
  return { active: true, aadObjectId: oid(n), email: `${p.id}@example.gov.uk`, ...rest };
};

export const DEMO_PEOPLE: Person[] = [
  person({ n: 1, id: 'amelia.hart', displayName: 'Amelia Hart', roles: ['social_worker'], managerId: 'tom.reid', team: 'Assessment Team North' }),
  person({ n: 2, id: 'ben.okafor', displayName: 'Ben Okafor', roles: ['social_worker'], managerId: 'tom.reid', team: 'Assessment Team North' }),
  person({ n: 3, id: 'tom.reid', displayName: 'Tom Reid', roles: ['team_manager', 'social_worker'], managerId: 'grace.lee', team: 'Assessment Team North' }),
  person({ n: 4, id: 'sarah.mitchell', displayName: 'Sarah Mitchell', roles: ['service_director'], team: 'Children and Young People' }),
  person({ n: 5, id: 'robert.hale', displayName: 'Robert Hale', roles: ['service_director', 'team_manager'], team: 'Children and Young People' }),
  person({ n: 6, id: 'grace.lee', displayName: 'Grace Lee', roles: ['service_manager'], team: "Looked After Children's Service" }),
  ...['Hannah Cole', 'Imran Malik', 'Jack Turner', 'Kate Bishop', 'Liam Doyle', 'Maya Patel'].map((name, i) =>
    person({
      n: 10 + i,
      id: name.toLowerCase().replace(' ', '.'),
      displayName: name,
      roles: i === 0 ? ['access_worker', 'social_worker'] : ['access_worker'],
      managerId: i === 0 ? 'tom.reid' : null,
      team: 'Access worker register',
      accessWorkerTrainedOn: '2025-09-01',
      accessWorkerAuthorisedUntil: '2027-09-01',
    }),
  ),
  person({ n: 20, id: 'nina.shaw', displayName: 'Nina Shaw', roles: ['administrator'], team: 'Service support' }),
];
