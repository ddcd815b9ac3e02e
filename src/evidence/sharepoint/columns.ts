/**
 * The evidence library's columns: one definition used by the store (to fill them) and by the
 * provisioning script (to create them), so the two cannot drift apart.
 */
export interface ColumnDefinition {
  /** Internal name: what Graph's listItem fields use. Never change one once provisioned. */
  name: string;
  displayName: string;
  description: string;
  kind: 'text' | 'note' | 'dateTime' | 'boolean' | 'hyperlink';
}

export const EVIDENCE_COLUMNS = {
  requestReference: { name: 'SmcRequestReference', displayName: 'Request reference', description: 'The Investigation Request this item belongs to.', kind: 'text' },
  caseReference: { name: 'SmcCaseReference', displayName: 'Case reference', description: 'The case management system reference.', kind: 'text' },
  subject: { name: 'SmcSubject', displayName: 'Subject', description: 'The person in scope the item is about (subject id in the request).', kind: 'text' },
  sourceUrl: { name: 'SmcSourceUrl', displayName: 'Source link', description: 'Where the information was seen.', kind: 'note' },
  capturedAt: { name: 'SmcCapturedAt', displayName: 'Captured at', description: 'When the access worker captured it.', kind: 'dateTime' },
  capturedBy: { name: 'SmcCapturedBy', displayName: 'Captured by', description: 'The authorised access worker who captured it.', kind: 'text' },
  sha256: { name: 'SmcSha256', displayName: 'SHA-256', description: 'Hash of the file as received, to prove it is unchanged.', kind: 'text' },
  publiclyVisible: { name: 'SmcPubliclyVisible', displayName: 'Public visibility attested', description: 'The access worker attested it was visible without being a friend.', kind: 'boolean' },
  retainUntil: { name: 'SmcRetainUntil', displayName: 'Retention date', description: 'Date until which the item must be kept.', kind: 'dateTime' },
} as const satisfies Record<string, ColumnDefinition>;

export const EVIDENCE_CONTENT_TYPE_NAME = 'Social Media Checks evidence';
