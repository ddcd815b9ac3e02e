/** The access worker register for the administrator who keeps it. */
import { assertMay } from '../gate';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { readRegister } from './register';

export async function viewRegister(deps: AppDeps, caller: Caller) {
  await assertMay(deps, caller, 'keep-register');
  return readRegister(deps.store.read, deps.clock.now());
}
