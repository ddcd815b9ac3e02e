/**
 * The one gate every use case with a caller passes. It asks the policy table (`can`) and turns a
 * "no" into a typed refusal; whatever refusal ends the use case — the gate's own, or one the
 * engine or a field rule raises — is written to the audit trail with its reason, in a
 * transaction of its own because the use case's transaction has rolled back.
 *
 * Adding an ability: add it to the table in src/domain/policy.ts, then in the use case call
 * `throughGate(deps, caller, 'the-ability', requestId, async (gate) => …)` and load the request
 * with `gate.load(uow)` (or `personGate` for an ability that concerns no request).
 */
import { AppError, notFound } from '../domain/errors';
import { can, NOT_VISIBLE, type Ability, type Part, type PersonAbility, type RequestAbility } from '../domain/policy';
import type { InvestigationRequest } from '../domain/request';
import type { AppDeps } from './deps';
import { auditRefusalOnce } from './refusal-window';
import type { Caller, DecisionReads, DecisionReadsWanted, UnitOfWork } from './ports';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A refusal the policy gave: always audited, whatever its code (a request one may not see is "not found"). */
export class Refused extends AppError {
  constructor(
    code: 'forbidden' | 'invalid_state' | 'not_found',
    message: string,
    readonly ability: Ability,
  ) {
    super(code, message);
  }
}

/** Codes that mean "you may not, or not now" when the engine or a use case's own rule raises them. */
const REFUSAL_CODES: AppError['code'][] = ['forbidden', 'invalid_state', 'stale_version'];

/** Refusals already written down, so a gate inside another records each once. */
const audited = new WeakSet<AppError>();

/** A refusal: the policy's, a "not now" from the engine, or any error naming a protocol rule. */
function isRefusal(error: unknown): error is AppError {
  if (!(error instanceof AppError) || audited.has(error)) return false;
  return error instanceof Refused || REFUSAL_CODES.includes(error.code) || Boolean(error.rule);
}

export interface RequestGate {
  /**
   * Loads the request (locked until the transaction ends when `lock`) and checks the caller holds
   * the ability on it (the gate's own unless another is named). Returns the request and the part
   * the caller takes.
   */
  load(uow: UnitOfWork, options?: { lock?: boolean; ability?: RequestAbility; id?: string }): Promise<{ request: InvestigationRequest; part: Part }>;
  /** As `load` with the lock, reading with the request what a decision about it reads (see DecisionReads). */
  loadForDecision(uow: UnitOfWork, reads: DecisionReadsWanted, ability?: RequestAbility): Promise<DecisionReads & { part: Part }>;
  /** Checks an ability on a request already in hand. */
  check(request: InvestigationRequest, ability?: RequestAbility): Part;
}

function assertCan(caller: Caller, ability: Ability, request: InvestigationRequest | null, now: Date): Part {
  const decision = can(caller.person, ability, request, now);
  if (!decision.ok) throw new Refused(decision.code, decision.message, ability);
  return decision.part;
}

/** Runs a use case about one request behind the gate; every refusal is audited. */
export async function throughGate<T>(deps: AppDeps, caller: Caller, ability: RequestAbility, requestId: string, work: (gate: RequestGate) => Promise<T>): Promise<T> {
  const gate: RequestGate = {
    async load(uow, options = {}) {
      const id = options.id ?? requestId;
      if (!UUID.test(id)) throw notFound(NOT_VISIBLE);
      const request = options.lock ? await uow.requests.getForUpdate(id) : await uow.requests.get(id);
      if (!request) throw notFound(NOT_VISIBLE);
      return { request, part: assertCan(caller, options.ability ?? ability, request, deps.clock.now()) };
    },
    async loadForDecision(uow, reads, other) {
      if (!UUID.test(requestId)) throw notFound(NOT_VISIBLE);
      const loaded = await uow.requests.getForDecision(requestId, reads);
      if (!loaded) throw notFound(NOT_VISIBLE);
      return { ...loaded, part: assertCan(caller, other ?? ability, loaded.request, deps.clock.now()) };
    },
    check(request, other) {
      return assertCan(caller, other ?? ability, request, deps.clock.now());
    },
  };
  try {
    return await work(gate);
  } catch (error) {
    if (isRefusal(error)) await auditRefusal(deps, caller, error instanceof Refused ? error.ability : ability, requestId, error);
    throw error;
  }
}

/** Runs a use case that concerns no one request, once the caller is found to hold the ability. */
export async function personGate<T>(deps: AppDeps, caller: Caller, ability: PersonAbility, work: () => Promise<T>): Promise<T> {
  try {
    assertCan(caller, ability, null, deps.clock.now());
    return await work();
  } catch (error) {
    if (isRefusal(error)) await auditRefusal(deps, caller, error instanceof Refused ? error.ability : ability, null, error);
    throw error;
  }
}

/**
 * Records a refusal with its reason, in a transaction of its own since the use case's rolled back;
 * identical ones within a minute are counted rather than each written (refusal-window.ts). A
 * refusal about a request that does not exist records nothing: there is nothing to refuse, only
 * nothing to find.
 */
async function auditRefusal(deps: AppDeps, caller: Caller, ability: Ability, requestId: string | null, error: AppError): Promise<void> {
  audited.add(error);
  const detail = { code: error.code, ...(error.rule ? { rule: error.rule } : {}) };
  await auditRefusalOnce(deps, [caller.person.id, requestId, ability, error.message], async (uow, at, repeats) => {
    const request = requestId && UUID.test(requestId) ? await uow.requests.get(requestId) : null;
    if (requestId && !request) return;
    await uow.audit.append({
      at,
      actorId: caller.person.id,
      actorRole: 'refused',
      action: `refused:${ability}`,
      requestId: request?.id ?? null,
      fromState: request?.state ?? null,
      toState: request?.state ?? null,
      reason: error.message,
      detail: { ...detail, ...repeats },
      httpRequestId: caller.requestId,
    });
  });
}

/** Passes the gate for an ability that concerns no one request, when the use case has nothing to wrap. */
export async function assertMay(deps: AppDeps, caller: Caller, ability: PersonAbility): Promise<void> {
  await personGate(deps, caller, ability, async () => undefined);
}
