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

/** The hash of an entry's own contents: everything but its place in the chain. */
export function bodyHash(entry: Omit<AuditEntry, 'hash' | 'seq' | 'prevHash'>): string {
  const body = {
    id: entry.id,
    at: entry.at,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    requestId: entry.requestId,
    fromState: entry.fromState,
    toState: entry.toState,
    reason: entry.reason,
    detail: entry.detail,
    httpRequestId: entry.httpRequestId,
  };
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/**
 * The entry's hash links its contents to its place and its predecessor. The database computes the
 * same when it appends (migration 005): sha256 of "seq:prevHash:bodyHash".
 */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(`${entry.seq}:${entry.prevHash}:${bodyHash(entry)}`, 'utf8').digest('hex');
}
