import { z } from 'zod';
import { parseForm } from '../../domain/forms';
import { can, isWaitingFor, participants } from '../../domain/policy';
import { REQUEST_STATES } from '../../domain/states';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { toView } from './view';

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .optional()
  .transform((v) => v === true || v === 'true' || v === '1');

const querySchema = z.object({
  state: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined))
    .pipe(z.array(z.enum(REQUEST_STATES, { error: 'Use one of the request states.' })).optional()),
  mine: flag,
  /** Only requests waiting for a step of the caller's (the policy's `waiting` actions). */
  waiting: flag,
});

/** Lists what the caller may see, newest first; `mine` keeps those the caller plays a part in. */
export async function listRequests(deps: AppDeps, caller: Caller, query: unknown) {
  const { state, mine, waiting } = parseForm(querySchema, query ?? {});
  const now = deps.clock.now();
  const found = await deps.store.read.requests.list({ ...(state ? { states: state } : {}), ...(mine ? { involving: caller.person.id } : {}), limit: 500 });
  const visible = found
    .filter((r) => can(caller.person, 'view', r, now).ok)
    .filter((r) => !mine || participants(r).has(caller.person.id))
    .filter((r) => !waiting || isWaitingFor(r, caller.person, now));
  return Promise.all(visible.map((r) => toView(r, caller.person, now, deps.directory)));
}
