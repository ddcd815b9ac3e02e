/**
 * The unit of work a decision runs in, answering its directory, role-holder and deputy reads from
 * the rows read with the locked request (one statement) rather than one query each. Whom that read did not cover
 * is asked of the database as before.
 */
import type { DecisionReads, UnitOfWork } from '../ports';

/** `today` is the London date the deputyships were read for. */
export function withDecisionReads(uow: UnitOfWork, reads: DecisionReads, today: string): UnitOfWork {
  const covered = new Set(reads.covered);
  const people = new Map(reads.people.map((p) => [p.id, p]));
  return {
    ...uow,
    directory: {
      ...uow.directory,
      async get(id) {
        return covered.has(id) ? (people.get(id) ?? null) : uow.directory.get(id);
      },
      async withRole(role) {
        return reads.roleHolders[role] ?? uow.directory.withRole(role);
      },
    },
    deputies: {
      ...uow.deputies,
      async inForceOf(teamManagerId, on) {
        return covered.has(teamManagerId) && on === today ? reads.deputyships.filter((d) => d.teamManagerId === teamManagerId) : uow.deputies.inForceOf(teamManagerId, on);
      },
    },
  };
}
