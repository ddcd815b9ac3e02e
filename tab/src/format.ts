/** Wording shared by the pages: next steps, action names, ages. */
import type { CONTRIBUTIONS } from '../../src/domain/forms';
import type { RequestState, WorkflowAction } from '../../src/domain/states';

export const NEXT_STEP: Record<RequestState, string> = {
  draft: 'Originating worker to complete and submit',
  awaiting_team_manager: 'Team manager to agree, decline or return',
  awaiting_service_director: 'Service director to authorise, refuse or return',
  authorised: 'An access worker to claim it',
  assigned: 'Access worker to confirm the log-on is legitimate',
  searching: 'Access worker to search and complete the log',
  on_hold: 'Service manager to give a view, then a director to resolve the doubt',
  with_originating_worker: 'Originating worker to assess and finalise',
  finalised: 'Originating worker to share',
  shared: 'Originating worker to place the documents on the case record',
  closed: 'None: closed',
  declined: 'None: closed',
  refused: 'None: closed',
  cancelled: 'None: closed',
  expired: 'None: closed',
};

export const ACTION_LABELS: Record<WorkflowAction, string> = {
  submit: 'Submit',
  agree: 'Agree',
  decline: 'Decline',
  return: 'Return to worker',
  authorise: 'Authorise',
  refuse: 'Refuse',
  claim: 'Claim',
  assign: 'Assign',
  'confirm-legitimacy': 'Confirm legitimacy',
  'raise-doubt': 'Raise a doubt',
  'record-doubt-view': 'Record your view on the doubt',
  'resolve-doubt': 'Resolve the doubt',
  'complete-log': 'Complete the log',
  finalise: 'Finalise',
  share: 'Share',
  withdraw: 'Withdraw',
  cancel: 'Cancel request',
  'review-monitoring': 'Review monitoring',
  'record-placement': 'Record placement on the case record',
};

/** "today", "1 day ago", "12 days ago" — how long since an instant. */
export function age(iso: string, now: Date = new Date()): string {
  const days = Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);
  if (days <= 0) return 'today';
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** mm:ss or h:mm:ss for the search timer. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function personName(people: Record<string, string> | undefined, id: string | null | undefined): string {
  if (!id) return '—';
  return people?.[id] ?? id;
}

/** An audit or notification code ("start_search_session", "confirm-legitimacy") in words. */
export function humanise(code: string): string {
  if (code in ACTION_LABELS) return ACTION_LABELS[code as WorkflowAction];
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How much the information contributed, as the assessment and the feedback name it. */
export const CONTRIBUTION_LABELS: Record<(typeof CONTRIBUTIONS)[number], string> = {
  little: 'Little',
  some: 'Some',
  considerable: 'Considerable',
  significant: 'Significant',
};

/** A count with its noun: "1 timed session", "6 timed sessions" (`many` for irregular plurals). */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A month as the API names it (YYYY-MM) in words: "December 2026". */
export function monthInWords(month: string): string {
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}
