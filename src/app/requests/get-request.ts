import type { AppDeps } from '../deps';
import { throughGate } from '../gate';
import type { Caller } from '../ports';
import { earlierChecksFor } from './earlier-checks';
import { expireIfDue } from './expire-due';
import { toView } from './view';

export async function getRequest(deps: AppDeps, caller: Caller, requestId: string) {
  await expireIfDue(deps, requestId);
  const { request } = await throughGate(deps, caller, 'view', requestId, (gate) => gate.load(deps.store.read));
  const now = deps.clock.now();
  const earlierChecks = await earlierChecksFor(deps.store.read, request, caller.person, now);
  return toView(request, caller.person, now, deps.directory, deps.settings.protocol, deps.settings.retention, { earlierChecks });
}
