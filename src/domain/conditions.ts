/**
 * A condition on a request's recorded facts, as data, so one rule can be checked in memory here
 * and run as SQL by the store (src/store/repositories/request-conditions.ts): lists filter in the
 * database by exactly what `can` allows.
 */
import type { InvestigationRequest } from './request';
import type { RequestState } from './states';

/** The request's fields that name a person. */
export type PersonField = 'originatingWorkerId' | 'teamManagerId' | 'agreementBy' | 'authorisationBy' | 'accessWorkerId' | 'designatedAccessWorkerId';

/** What a search looks in: references for anyone who sees the request, names only for those who see its details. */
export type SearchField = 'reference' | 'caseReference' | 'childNames' | 'subjectNames';

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { state: readonly RequestState[] }
  | { field: PersonField; is: string | null }
  | { resolver: string; role: 'service_manager' | 'service_director' }
  | { submitted: true }
  /** The text (case aside) appears in one of the fields. */
  | { matches: string; in: readonly SearchField[] }
  /** Raised at or after `from`, and before `before` (ISO instants). */
  | { created: { from?: string; before?: string } }
  /** The last doubt raised has (true) or has not (false) the service manager's view recorded. */
  | { doubtView: boolean }
  /** The request has (true) or has not (false) been closed: `closedAt` is set. */
  | { closed: boolean }
  /** The log has been shared with this person (the `share` action's recipients). */
  | { sharedWith: string };

export const ALWAYS: Condition = { all: [] };
export const NEVER: Condition = { any: [] };

export function personIn(request: InvestigationRequest, field: PersonField): string | null {
  switch (field) {
    case 'originatingWorkerId':
      return request.originatingWorkerId;
    case 'teamManagerId':
      return request.teamManagerId;
    case 'agreementBy':
      return request.agreement?.by ?? null;
    case 'authorisationBy':
      return request.authorisation?.by ?? null;
    case 'accessWorkerId':
      return request.accessWorkerId;
    case 'designatedAccessWorkerId':
      return request.designatedAccessWorkerId;
  }
}

/** Whether the request meets the condition. */
export function holds(condition: Condition, request: InvestigationRequest): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(c, request));
  if ('any' in condition) return condition.any.some((c) => holds(c, request));
  if ('not' in condition) return !holds(condition.not, request);
  if ('state' in condition) return condition.state.includes(request.state);
  if ('field' in condition) return personIn(request, condition.field) === condition.is;
  if ('resolver' in condition) return request.doubtResolvers.some((r) => r.personId === condition.resolver && r.role === condition.role);
  if ('matches' in condition) {
    const needle = condition.matches.toLowerCase();
    return condition.in.some((field) => searchable(request, field).some((text) => text.toLowerCase().includes(needle)));
  }
  if ('created' in condition) {
    const at = Date.parse(request.createdAt);
    const { from, before } = condition.created;
    return (!from || at >= Date.parse(from)) && (!before || at < Date.parse(before));
  }
  if ('doubtView' in condition) return Boolean(request.doubts[request.doubts.length - 1]?.serviceManagerView) === condition.doubtView;
  if ('closed' in condition) return (request.closedAt !== null) === condition.closed;
  if ('sharedWith' in condition) return request.sharedWith.some((s) => s.personId === condition.sharedWith);
  return request.submittedAt !== null;
}

function searchable(request: InvestigationRequest, field: SearchField): string[] {
  switch (field) {
    case 'reference':
      return [request.reference];
    case 'caseReference':
      return [request.form.caseReference];
    case 'childNames':
      return request.form.children.map((c) => c.name);
    case 'subjectNames':
      return request.form.subjects.flatMap((s) => [s.name ?? '', s.otherNames ?? '']);
  }
}
