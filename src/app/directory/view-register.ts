/** The access worker register for the administrator who keeps it. */
import { forbidden } from '../../domain/errors';
import { mayKeepRegister } from '../../domain/policy';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { readRegister } from './register';

export async function viewRegister(deps: AppDeps, caller: Caller) {
  if (!mayKeepRegister(caller.person)) throw forbidden('Only administrators keep the access worker register.');
  return readRegister(deps.store.read, deps.clock.now());
}
