/** What the API answers about retention: one request's retention, and the review list (docs/retention.md). */
import { z } from 'zod';
import { RETENTION_STATUSES } from '../domain/retention';
import { REQUEST_STATES } from '../domain/states';

const instant = z.iso.datetime();
const months = z.number().int().min(1);

/** The request a retention answer is about: no personal data, so it can outlive a disposal as a tombstone. */
export const retentionRequestSchema = z.strictObject({
  id: z.string(),
  reference: z.string(),
  state: z.enum(REQUEST_STATES),
  closedAt: instant.nullable(),
  disposedAt: instant.nullable(),
  team: z.string().nullable(),
});

export const retentionViewSchema = z.strictObject({
  lawfulBasis: z.string(),
  /** The rule in words. */
  rule: z.string(),
  /** London date until which the request must be kept; null while it is open. */
  retainUntil: z.iso.date().nullable(),
  status: z.enum(RETENTION_STATUSES),
  legalHold: z.strictObject({ by: z.string(), at: instant, reason: z.string() }).nullable(),
  proposal: z.strictObject({ by: z.string(), at: instant, note: z.string().nullable() }).nullable(),
  disposal: z.strictObject({ proposedBy: z.string(), proposedAt: instant, confirmedBy: z.string(), confirmedAt: instant }).nullable(),
});

/** One request's retention (`GET /api/retention/requests/{id}` and the answer to each decision on it). */
export const retentionItemSchema = z.strictObject({
  request: retentionRequestSchema,
  retention: retentionViewSchema,
  /** How many of its files are still to be removed from the evidence store after a disposal. */
  filesToRemove: z.number().int().min(0),
});

/** `GET /api/retention/review`: what waits for a decision, what a hold keeps, what files are still to go. */
export const retentionReviewSchema = z.strictObject({
  today: z.iso.date(),
  /** Months kept after closure, by how the request closed. */
  schedule: z.strictObject({ shared: months, declined: months, refused: months, cancelled: months, expired: months }),
  lawfulBasis: z.string(),
  due: z.array(retentionItemSchema),
  proposed: z.array(retentionItemSchema),
  onHold: z.array(retentionItemSchema),
  filesToRemove: z.array(retentionItemSchema),
});

export type RetentionItem = z.infer<typeof retentionItemSchema>;
export type RetentionReview = z.infer<typeof retentionReviewSchema>;
