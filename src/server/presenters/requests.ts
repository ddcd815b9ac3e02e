/** The request as the API answers it: each field named here, so nothing internal rides along. */
import type { ApiRequest, ApiSubject, RequestPage } from '../../contracts/requests';
import type { RequestPage as ListedPage } from '../../app/requests/list-requests';
import type { RequestView } from '../../app/requests/view';

function presentSubject(s: RequestView['subjects'][number]): ApiSubject {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    otherNames: s.otherNames,
    dateOfBirth: s.dateOfBirth,
    area: s.area,
    relationshipToChild: s.relationshipToChild,
    profileUrl: s.profileUrl,
    description: s.description,
  };
}

export function presentRequest(v: RequestView): ApiRequest {
  return requestFields(v, undefined);
}

/**
 * Every field named in one literal, `overdue` included (a list's; undefined, and so left out of
 * the JSON, for a single request): adding it afterwards would grow each object's property store.
 */
function requestFields<Overdue extends boolean | undefined>(v: RequestView, overdue: Overdue): ApiRequest & { overdue: Overdue } {
  return {
    caseReference: v.caseReference,
    team: v.team,
    children: v.children.map((c) => ({ name: c.name, dateOfBirth: c.dateOfBirth })),
    concernCategories: v.concernCategories,
    concernOther: v.concernOther,
    concernDetails: v.concernDetails,
    justification: v.justification,
    subjects: v.subjects.map(presentSubject),
    period: { from: v.period.from, to: v.period.to },
    monitoring: v.monitoring ? { justification: v.monitoring.justification, frequency: v.monitoring.frequency, endDate: v.monitoring.endDate } : null,
    urgency: v.urgency,
    neededBy: v.neededBy,
    id: v.id,
    reference: v.reference,
    state: v.state,
    version: v.version,
    originatingWorkerId: v.originatingWorkerId,
    teamManagerId: v.teamManagerId,
    agreement: v.agreement,
    authorisation: v.authorisation,
    designatedAccessWorkerId: v.designatedAccessWorkerId,
    accessWorkerId: v.accessWorkerId,
    doubtResolvers: v.doubtResolvers,
    stateBeforeHold: v.stateBeforeHold,
    doubts: v.doubts,
    caseRecordPlacement: v.caseRecordPlacement,
    lastReason: v.lastReason,
    firstSearchStartedAt: v.firstSearchStartedAt,
    log: v.log,
    feedback: v.feedback,
    linkedFromRequestId: v.linkedFromRequestId,
    sharedWith: v.sharedWith,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    submittedAt: v.submittedAt,
    closedAt: v.closedAt,
    stateLabel: v.stateLabel,
    nextStep: v.nextStep,
    allowedActions: v.allowedActions,
    abilities: v.abilities,
    waitingForMe: v.waitingForMe,
    people: v.people,
    searchWindowClosesAt: v.searchWindowClosesAt,
    oneOffReviewDays: v.oneOffReviewDays,
    followUpOpensAt: v.followUpOpensAt,
    earlierChecks: v.earlierChecks,
    ageDays: v.ageDays,
    today: v.today,
    retention: v.retention,
    overdue,
  };
}

export function presentRequestPage(page: ListedPage): RequestPage {
  return {
    items: page.items.map((item) => requestFields(item, item.overdue)),
    nextCursor: page.nextCursor,
    counts: { waitingForMe: page.counts.waitingForMe },
  };
}
