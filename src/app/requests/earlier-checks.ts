/**
 * Earlier checks of the people a request names (issue 14, rule 3), for the team manager and the
 * service directors and managers deciding on it: repeated one-off checks can amount to directed
 * surveillance.
 */
import { can } from '../../domain/policy';
import { earlierChecks, repeatWindowStart, requestSubjectKeys, type EarlierCheck } from '../../domain/repeat-checks';
import type { InvestigationRequest } from '../../domain/request';
import { hasRole, type Person } from '../../domain/roles';
import type { UnitOfWork } from '../ports';

export interface EarlierCheckView extends EarlierCheck {
  /** Whether the viewer may open the earlier request; when not, only its reference is shown. */
  visible: boolean;
}

/** Who is told: the request's team manager (or their deputy) and the service directors and managers. */
export function seesEarlierChecks(request: InvestigationRequest, viewer: Person): boolean {
  if (request.submittedAt === null) return false;
  const manager = request.teamManagerId;
  if (manager && (manager === viewer.id || viewer.standsInFor?.includes(manager))) return true;
  if (request.agreement?.by === viewer.id) return true;
  return hasRole(viewer, 'service_director') || hasRole(viewer, 'service_manager');
}

/** The earlier checks in the last 12 months, or null when the viewer is not one of those told. */
export async function earlierChecksFor(
  read: Pick<UnitOfWork, 'requests'>,
  request: InvestigationRequest,
  viewer: Person,
  now: Date,
): Promise<EarlierCheckView[] | null> {
  if (!seesEarlierChecks(request, viewer)) return null;
  const keys = [...new Set(requestSubjectKeys(request).map((k) => k.key))];
  const matches = await read.requests.checkedSince(keys, repeatWindowStart(now).toISOString());
  const checks = earlierChecks(request, matches);
  const requests = new Map((await read.requests.getMany([...new Set(checks.map((c) => c.requestId))])).map((r) => [r.id, r]));
  return checks.map((c) => {
    const earlier = requests.get(c.requestId);
    return { ...c, visible: Boolean(earlier && can(viewer, 'view', earlier, now).ok) };
  });
}
