import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { expireIfDue } from './expire-due';
import { loadVisible } from './shared';
import { toView } from './view';

export async function getRequest(deps: AppDeps, caller: Caller, requestId: string) {
  await expireIfDue(deps, requestId);
  const request = await loadVisible(deps.store.read, caller, requestId);
  return toView(request, caller.person, deps.clock.now(), deps.directory, deps.settings.protocol);
}
