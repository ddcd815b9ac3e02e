/** How an audit entry is hashed: its contents as canonical JSON, chained to its sequence number and the previous hash. */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../app/ports';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted and undefined members left out, so the same data always gives the
 * same text — in particular after a round trip through jsonb, which reorders keys.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/** The members of an entry's contents (bodyText writes them in the order canonicalJson sorts them). */
type BodyKey = 'action' | 'actorId' | 'actorRole' | 'at' | 'detail' | 'fromState' | 'httpRequestId' | 'id' | 'reason' | 'requestId' | 'toState';

export type AuditBody = Pick<AuditEntry, BodyKey>;

/** Characters JSON.stringify escapes in a string (and surrogates, which it escapes when unpaired). */
// eslint-disable-next-line no-control-regex -- finding what JSON must escape is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(value), skipping the call for the plain strings that almost every member is. */
function jsonMember(value: unknown): string {
  if (typeof value === 'string' && !NEEDS_ESCAPE.test(value)) return `"${value}"`;
  return JSON.stringify(value) ?? 'null';
}

function withMember(text: string, key: BodyKey, value: unknown): string {
  if (value === undefined) return text;
  return `${text}${text.length > 1 ? ',' : ''}"${key}":${key === 'detail' ? canonicalJson(value) : jsonMember(value)}`;
}

/**
 * canonicalJson of the entry's contents, written out member by member in sorted order: the
 * verifier does this for every entry, and it is several times faster than sorting keys each time.
 */
export function bodyText(entry: AuditBody): string {
  let text = withMember('{', 'action', entry.action);
  text = withMember(text, 'actorId', entry.actorId);
  text = withMember(text, 'actorRole', entry.actorRole);
  text = withMember(text, 'at', entry.at);
  text = withMember(text, 'detail', entry.detail);
  text = withMember(text, 'fromState', entry.fromState);
  text = withMember(text, 'httpRequestId', entry.httpRequestId);
  text = withMember(text, 'id', entry.id);
  text = withMember(text, 'reason', entry.reason);
  text = withMember(text, 'requestId', entry.requestId);
  text = withMember(text, 'toState', entry.toState);
  return `${text}}`;
}

/** The hash of an entry's own contents: everything but its place in the chain. */
export function bodyHash(entry: AuditBody): string {
  return createHash('sha256').update(bodyText(entry), 'utf8').digest('hex');
}

/** The link: sha256 of "seq:prevHash:bodyHash", as the sequencer computes it (migration 050). */
export function linkHash(seq: number, prevHash: string, contentHash: string): string {
  return createHash('sha256').update(`${seq}:${prevHash}:${contentHash}`, 'utf8').digest('hex');
}

/** The entry's hash, linking its contents to its place and its predecessor. */
export function hashAuditEntry(entry: AuditBody & { seq: number; prevHash: string }): string {
  return linkHash(entry.seq, entry.prevHash, bodyHash(entry));
}
