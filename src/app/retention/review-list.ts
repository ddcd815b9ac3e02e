/**
 * GET /api/retention/review: what is due for a disposal decision (due, or proposed and waiting for a
 * director), what a legal hold keeps, and disposed requests whose files are still to be removed.
 */
import { londonDate } from '../../domain/dates';
import { retentionView } from '../../domain/retention';
import type { AppDeps } from '../deps';
import type { Caller } from '../ports';
import { assertMay } from '../gate';
import { retentionSettings } from './shared';

export async function reviewList(deps: AppDeps, caller: Caller) {
  await assertMay(deps, caller, 'view-retention');
  const now = deps.clock.now();
  const today = londonDate(now);
  const settings = retentionSettings(deps);
  // Nothing closed after the shortest period ago can be due yet: the database narrows to those. A
  // month's end counts to the next month's last day (31 January + 1 month is 28 February), so the
  // cut-off leaves four days' room; each request is then judged exactly by retentionView.
  const shortest = Math.min(...Object.values(settings.schedule));
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - shortest);
  cutoff.setUTCDate(cutoff.getUTCDate() + 4);
  const items = (await deps.store.read.retention.candidates(cutoff.toISOString()))
    .map(({ request, record }) => ({ request, retention: retentionView(request, record, settings, today), filesToRemove: record.filesToRemove.length }))
    .filter((item) => item.retention.status === 'due' || item.retention.status === 'proposed' || item.retention.status === 'on_hold' || item.filesToRemove > 0);
  return {
    today,
    schedule: settings.schedule,
    lawfulBasis: settings.lawfulBasis,
    due: items.filter((i) => i.retention.status === 'due'),
    proposed: items.filter((i) => i.retention.status === 'proposed'),
    onHold: items.filter((i) => i.retention.status === 'on_hold'),
    filesToRemove: items.filter((i) => i.retention.status === 'disposed'),
  };
}
