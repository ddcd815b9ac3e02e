/** Every state of an Investigation Request (DESIGN.md §2). */
export const REQUEST_STATES = [
  'draft',
  'awaiting_team_manager',
  'awaiting_service_director',
  'authorised',
  'assigned',
  'searching',
  'on_hold',
  'with_originating_worker',
  'finalised',
  'shared',
  'closed',
  'declined',
  'refused',
  'cancelled',
  'expired',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States from which a request can still be withdrawn or cancelled. */
export const OPEN_STATES: readonly RequestState[] = [
  'draft',
  'awaiting_team_manager',
  'awaiting_service_director',
  'authorised',
  'assigned',
  'searching',
  'on_hold',
  'with_originating_worker',
];

/**
 * States in which nothing more happens to the search. A shared request still waits for its documents
 * to be placed on the case record, and so does a request cancelled or lapsed after evidence was
 * captured (its `closedAt` stays empty until then): see `awaitsCaseRecord` in request.ts.
 */
export const CLOSED_STATES: readonly RequestState[] = ['closed', 'declined', 'refused', 'cancelled', 'expired'];

export const STATE_LABELS: Record<RequestState, string> = {
  draft: 'Draft',
  awaiting_team_manager: 'Awaiting team manager',
  awaiting_service_director: 'Awaiting service director',
  authorised: 'Authorised — open to the register',
  assigned: 'Assigned to an access worker',
  searching: 'Search under way',
  on_hold: 'On hold — doubt raised',
  with_originating_worker: 'Log with originating worker',
  finalised: 'Log finalised',
  shared: 'Shared — to be placed on the case record',
  closed: 'Closed — on the case record',
  declined: 'Declined by team manager',
  refused: 'Refused by service director',
  cancelled: 'Cancelled',
  expired: 'Authorisation expired',
};

export const WORKFLOW_ACTIONS = [
  'submit',
  'agree',
  'decline',
  'return',
  'authorise',
  'refuse',
  'claim',
  'assign',
  'confirm-legitimacy',
  'raise-doubt',
  'record-doubt-view',
  'resolve-doubt',
  'complete-log',
  'finalise',
  'share',
  'withdraw',
  'cancel',
  'review-monitoring',
  'record-placement',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

export function isWorkflowAction(value: string): value is WorkflowAction {
  return (WORKFLOW_ACTIONS as readonly string[]).includes(value);
}
