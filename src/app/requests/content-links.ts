/**
 * One-time links for the tab to preview or download an evidence item or a filed document. The
 * tab's token lives in memory and a browser cannot add it to an <img> or a new window, and the
 * content must never become a blob URL in the tab's own origin (where a saved page could run with
 * the tab's rights). So the tab asks, with its token, for a link that works once, for one item,
 * for one person, for a minute; the content route then serves it sandboxed, and audits the read as
 * that person's.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError, notFound } from '../../domain/errors';
import { parseForm } from '../../domain/forms';
import type { AppDeps } from '../deps';
import type { Caller, ContentLink, EvidenceItem, RecordDocumentItem } from '../ports';
import { auditedEvidenceView } from './evidence';
import { auditedDocumentView } from './record-documents';
import { throughGate, UUID } from '../gate';

/** How long a link may wait to be used: long enough for a browser to fetch it, too short to pass around. */
export const CONTENT_LINK_SECONDS = 60;

export const contentLinkRequestSchema = z.object({ download: z.boolean({ error: 'Say true or false.' }).optional() }).strict();

export interface IssuedLink {
  url: string;
  expiresAt: string;
  download: boolean;
}

/** Who may have a link: whoever may view the item itself. */
const ABILITY = { evidence: 'view-evidence', document: 'view' } as const;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

function contentPath(kind: ContentLink['kind'], requestId: string, itemId: string): string {
  const collection = kind === 'evidence' ? 'evidence' : 'documents';
  return `/api/requests/${encodeURIComponent(requestId)}/${collection}/${encodeURIComponent(itemId)}/content`;
}

/** Issues a link for an item the caller may read now; reading it later checks again. */
export async function issueContentLink(deps: AppDeps, caller: Caller, kind: ContentLink['kind'], requestId: string, itemId: string, input: unknown): Promise<IssuedLink> {
  const { download } = parseForm(contentLinkRequestSchema, input ?? {});
  const now = deps.clock.now();
  return throughGate(deps, caller, ABILITY[kind], requestId, async (gate) => {
    await gate.load(deps.store.read);
    const item = UUID.test(itemId) ? await (kind === 'evidence' ? deps.store.read.evidence.get(itemId) : deps.store.read.documents.get(itemId)) : null;
    if (!item || item.requestId !== requestId) throw notFound(kind === 'evidence' ? 'No such evidence item on this request.' : 'No such document on this request.');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + CONTENT_LINK_SECONDS * 1000).toISOString();
    await deps.store.transaction(async (uow) => {
      // Links older than a day are of no use to anyone: cleared as new ones are made.
      await uow.contentLinks.removeExpired(new Date(now.getTime() - 86_400_000));
      await uow.contentLinks.issue({ tokenHash: hash(token), kind, requestId, itemId, personId: caller.person.id, download: download ?? false, issuedAt: now.toISOString(), expiresAt });
    });
    return { url: `${contentPath(kind, requestId, itemId)}?ticket=${token}`, expiresAt, download: download ?? false };
  });
}

const USED_OR_EXPIRED = 'This link has been used or has expired: open the item again from the tab.';

/**
 * Reads an item through a link: the link is used up in the same transaction that audits the read,
 * as a read by the person it was issued to, who must still be allowed to view the item. A link that
 * is unknown, used or expired is refused before anyone is named, so it leaves no trace.
 */
export async function readByContentLink<K extends ContentLink['kind']>(
  deps: AppDeps,
  kind: K,
  token: string,
  requestId: string,
  itemId: string,
  httpRequestId: string,
): Promise<{ item: K extends 'evidence' ? EvidenceItem : RecordDocumentItem; content: Readable; download: boolean }> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new AppError('forbidden', USED_OR_EXPIRED);
  const now = deps.clock.now();
  const tokenHash = hash(token);
  const found = await deps.store.read.contentLinks.find(tokenHash);
  const usable = found && found.kind === kind && found.requestId === requestId && found.itemId === itemId && !found.usedAt && found.expiresAt > now.toISOString();
  const person = usable ? await deps.directory.get(found.personId) : null;
  if (!found || !usable || !person || !person.active) throw new AppError('forbidden', USED_OR_EXPIRED);
  const caller: Caller = { person, requestId: httpRequestId };
  const item = await throughGate(deps, caller, ABILITY[kind], requestId, (gate) =>
    deps.store.transaction(async (uow) => {
      // Used up here, so of two fetches at once exactly one reads the item.
      if (!(await uow.contentLinks.redeem(tokenHash, kind, requestId, itemId, now))) throw new AppError('forbidden', USED_OR_EXPIRED);
      return kind === 'evidence'
        ? auditedEvidenceView(uow, gate, caller, requestId, itemId, now, { link: true })
        : auditedDocumentView(uow, gate, caller, requestId, itemId, now, { link: true });
    }),
  );
  return { item: item as K extends 'evidence' ? EvidenceItem : RecordDocumentItem, content: await deps.evidence.get(item.storageKey), download: found.download };
}
