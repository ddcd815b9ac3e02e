import { z } from 'zod';
import { parseForm, safeString } from '../../domain/forms';
import { maySee } from '../../domain/policy';
import { REQUEST_STATES } from '../../domain/states';
import { allowedActions } from '../../domain/workflow';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { personHasPart } from './shared';
import { toView } from './view';

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .optional()
  .transform((v) => v === true || v === 'true' || v === '1');

const querySchema = z.object({
  state: safeString()
    .max(400, { error: 'Use one of the request states.' })
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined))
    .pipe(z.array(z.enum(REQUEST_STATES, { error: 'Use one of the request states.' })).max(REQUEST_STATES.length).optional()),
  mine: flag,
  /** Only requests on which the caller can act now. */
  waiting: flag,
});

/** Lists what the caller may see, newest first; `mine` keeps those the caller plays a part in. */
export async function listRequests(deps: AppDeps, caller: Caller, query: unknown) {
  const { state, mine, waiting } = parseForm(querySchema, query ?? {});
  const now = deps.clock.now();
  const found = await deps.store.read.requests.list({ ...(state ? { states: state } : {}), ...(mine ? { involving: caller.person.id } : {}), limit: 500 });
  const visible = found
    .filter((r) => maySee(r, caller.person))
    .filter((r) => !mine || personHasPart(r, caller.person))
    .filter((r) => !waiting || allowedActions(r, caller.person, now).length > 0);
  return Promise.all(visible.map((r) => toView(r, caller.person, now, deps.directory, deps.settings.protocol)));
}
