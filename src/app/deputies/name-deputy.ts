/**
 * A team manager names another team manager as deputy for a period. A deputy named earlier and
 * not yet over is replaced (ended, and kept on record). When the period has begun, requests already
 * waiting go to the deputy at once; otherwise the sweep sends them when it begins.
 */
import { randomUUID } from 'node:crypto';
import { londonDate } from '../../domain/dates';
import { forbidden, validationError } from '../../domain/errors';
import { parseForm } from '../../domain/forms';
import { hasRole } from '../../domain/roles';
import { deputyProblem, deputySchema } from '../../domain/team-managers';
import type { AppDeps } from '../deps';
import type { Caller, Deputyship } from '../ports';
import { deputyCardsOwed } from './standing-in';

export async function nameDeputy(deps: AppDeps, caller: Caller, input: unknown): Promise<Deputyship> {
  const manager = caller.person;
  if (!hasRole(manager, 'team_manager')) throw forbidden('Only a team manager may name a deputy.');
  const body = parseForm(deputySchema, input ?? {});
  const now = deps.clock.now();
  const today = londonDate(now);
  return deps.store.transaction(async (uow) => {
    const deputy = await uow.directory.get(body.deputyId);
    const problem = deputyProblem(manager, deputy, body, today);
    if (problem) throw validationError(problem, 'That deputy cannot be named.');
    const at = now.toISOString();
    const replaced = await uow.deputies.currentAndComing(manager.id, today);
    for (const earlier of replaced) await uow.deputies.end(earlier.id, at);
    const deputyship: Deputyship = { id: randomUUID(), teamManagerId: manager.id, deputyId: body.deputyId, from: body.from, to: body.to, createdAt: at, endedAt: null };
    await uow.deputies.insert(deputyship);
    await uow.audit.append({
      at,
      actorId: manager.id,
      actorRole: 'team_manager',
      action: 'deputy_named',
      requestId: null,
      fromState: null,
      toState: null,
      reason: null,
      detail: { deputyshipId: deputyship.id, deputyId: deputyship.deputyId, from: deputyship.from, to: deputyship.to, replaced: replaced.map((d) => d.id) },
      httpRequestId: caller.requestId,
    });
    if (deputyship.from <= today) {
      const owed = await deputyCardsOwed(uow, manager.id, deputyship.deputyId);
      if (owed.length > 0) await uow.outbox.add(owed);
    }
    return deputyship;
  });
}
