/**
 * Retention as the API answers it. The retention record knows which files are still to be removed
 * (their storage keys): the answer says only how many.
 */
import type { RetentionItem, RetentionReview } from '../../contracts/retention';
import type { describe } from '../../app/retention/shared';
import type { reviewList } from '../../app/retention/review-list';

export function presentRetention(item: ReturnType<typeof describe>): RetentionItem {
  const { request: r, retention: v } = item;
  return {
    request: { id: r.id, reference: r.reference, state: r.state, closedAt: r.closedAt, disposedAt: r.disposedAt, team: r.team },
    retention: {
      lawfulBasis: v.lawfulBasis,
      rule: v.rule,
      retainUntil: v.retainUntil,
      status: v.status,
      legalHold: v.legalHold ? { by: v.legalHold.by, at: v.legalHold.at, reason: v.legalHold.reason } : null,
      proposal: v.proposal ? { by: v.proposal.by, at: v.proposal.at, note: v.proposal.note } : null,
      disposal: v.disposal ? { proposedBy: v.disposal.proposedBy, proposedAt: v.disposal.proposedAt, confirmedBy: v.disposal.confirmedBy, confirmedAt: v.disposal.confirmedAt } : null,
    },
    filesToRemove: item.filesToRemove,
  };
}

export function presentRetentionReview(review: Awaited<ReturnType<typeof reviewList>>): RetentionReview {
  const s = review.schedule;
  return {
    today: review.today,
    schedule: { shared: s.shared, declined: s.declined, refused: s.refused, cancelled: s.cancelled, expired: s.expired },
    lawfulBasis: review.lawfulBasis,
    due: review.due.map(presentRetention),
    proposed: review.proposed.map(presentRetention),
    onHold: review.onHold.map(presentRetention),
    filesToRemove: review.filesToRemove.map(presentRetention),
  };
}
