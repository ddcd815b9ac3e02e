/** The one gate the evaluation and governance use cases pass: a refusal is audited, then thrown. */
import { forbidden } from '../../domain/errors';
import { GOVERNANCE_RULES, may, type GovernanceAbility } from '../../domain/governance';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';

export async function gate(deps: AppDeps, caller: Caller, ability: GovernanceAbility): Promise<void> {
  if (may(caller.person, ability)) return;
  await deps.store.transaction((uow) =>
    uow.audit.append({
      at: deps.clock.now().toISOString(),
      actorId: caller.person.id,
      actorRole: caller.person.roles.join(',') || 'none',
      action: 'refused',
      requestId: null,
      fromState: null,
      toState: null,
      reason: `Not allowed to ${GOVERNANCE_RULES[ability].what}.`,
      detail: { ability },
      httpRequestId: caller.requestId,
    }),
  );
  throw forbidden(`You may not ${GOVERNANCE_RULES[ability].what}.`);
}
