/**
 * Checks the audit chain from the first entry, streaming it in batches in one snapshot:
 * - each entry's hash must match its contents, and name the previous entry's hash (inclusion:
 *   every entry is bound into the head);
 * - seqs run 1, 2, 3 … without a gap;
 * - every checkpoint, in the database and published outside it, must match the entry at its tree
 *   size (consistency: each later chain extends the one each checkpoint saw), must not lie beyond
 *   the end (truncation), and, when keys are given, must carry a valid signature.
 * A chain rewritten from an edited entry onwards, with the database's checkpoints recomputed,
 * still disagrees with the checkpoints published before the rewrite.
 */
import * as crypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CHECKPOINT_ORIGIN, checkpointSignatureValid, type SignedCheckpoint } from './checkpoint';
import { bodyText, GENESIS_HASH, type AuditBody } from './hash';
import { DISPOSAL_ACTION } from '../domain/disposal-action';
import type { PublishedCheckpoint } from './published';

export interface VerifyOptions {
  /** Checkpoints published outside the database (readPublished). */
  published?: readonly PublishedCheckpoint[];
  /** Keys allowed to sign checkpoints; without them signatures are not checked. */
  publicKeys?: readonly KeyObject[];
  /** Entries read per query. */
  batchSize?: number;
}

export interface AuditVerification {
  ok: boolean;
  /** Linked entries found sound, in order, before the first bad one (all of them when ok). */
  checked: number;
  /** Entries committed but not linked yet (the sequencer links them within a second). */
  unlinked: number;
  /** Published checkpoints the chain was checked against, and the latest of them. */
  anchors: number;
  latestAnchor: { treeSize: number; timestamp: string } | null;
  firstBad?: { seq: number; problem: string };
}

/**
 * The columns the walk reads, in this order: the entry's place in the chain, then its contents as
 * the app shows them, from which the walk writes the text that was hashed (bodyText, ./hash.ts).
 * `at` is written as the application writes it (ISO 8601, UTC, milliseconds).
 */
const ISO_AT = `to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const ENTRY_COLUMNS = `seq, prev_hash, hash, body_hash, redacted_at is not null as redacted, action, actor_id, actor_role,
  ${ISO_AT} as at, detail::text as detail,
  from_state, http_request_id, id, reason, request_id, to_state`;

/**
 * One entry, its columns in ENTRY_COLUMNS' order as they arrive: text, except `redacted`, a boolean
 * or PostgreSQL's `t`/`f` when rows are read unparsed. Arrays, not objects: the walk reads
 * hundreds of thousands of them.
 */
type EntryRow = readonly unknown[];

/** Where the walk reads from: a query run in the walk's snapshot, its rows as arrays of columns. */
export interface ChainSource {
  rows(text: string, values: readonly unknown[]): Promise<readonly EntryRow[]>;
}

function vouchedBy(detail: unknown): { seq: number; bodyHash: string }[] {
  if (!detail || typeof detail !== 'object') return [];
  const redacted = (detail as { redacted?: unknown }).redacted;
  if (!Array.isArray(redacted)) return [];
  return redacted.filter(
    (r): r is { seq: number; bodyHash: string } => typeof r === 'object' && r !== null && typeof (r as { seq?: unknown }).seq === 'number' && typeof (r as { bodyHash?: unknown }).bodyHash === 'string',
  );
}

// One-shot hashing (Node ≥ 20.12) is about twice as fast as createHash for inputs this small.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256 = oneShot
  ? (text: string): string => oneShot('sha256', text, 'hex')
  : (text: string): string => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

interface Expectation {
  hash: string;
  what: string;
}

const text = (value: unknown): string => String(value);
const textOrNull = (value: unknown): string | null => (value === null ? null : String(value));

/**
 * The walk itself, reading from `source`, which must hold one snapshot throughout (a
 * repeatable-read transaction), so that entries linked meanwhile cannot confuse it.
 */
export async function walkAuditChain(source: ChainSource, options: VerifyOptions = {}): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 5_000;
  const keys = options.publicKeys ?? [];
  const [counted] = await source.rows('select count(*)::int from audit_entries where seq is null', []);
  const unlinked = Number(counted?.[0] ?? 0);
  let expectedSeq = 1;
  let anchors = 0;
  let latestAnchor: AuditVerification['latestAnchor'] = null;
  const result = (firstBad?: AuditVerification['firstBad']): AuditVerification => ({
    ok: !firstBad,
    checked: expectedSeq - 1,
    unlinked,
    anchors,
    latestAnchor,
    ...(firstBad ? { firstBad } : {}),
  });
  const bad = (seq: number, problem: string) => result({ seq, problem });

  // What each checkpoint says the entry at its tree size must be.
  const expected = new Map<number, Expectation[]>();
  const expect = (seq: number, e: Expectation) => expected.set(seq, [...(expected.get(seq) ?? []), e]);
  const inDatabase = await source.rows(`select seq, hash, ${ISO_AT} as at, key_id, signature from audit_checkpoints order by seq`, []);
  for (const [seqText, hash, at, keyId, signature] of inDatabase) {
    const seq = Number(seqText);
    if (signature !== null && keyId !== null && keys.length > 0) {
      const signed: SignedCheckpoint = {
        origin: CHECKPOINT_ORIGIN,
        treeSize: seq,
        headHash: text(hash),
        timestamp: text(at),
        keyId: text(keyId),
        signature: text(signature),
      };
      if (!checkpointSignatureValid(signed, keys)) {
        return bad(seq, `the checkpoint in the database at seq ${seq} does not carry our signature: checkpoints were rewritten`);
      }
    }
    expect(seq, { hash: text(hash), what: `the checkpoint taken at seq ${seq}` });
  }
  for (const { name, checkpoint } of options.published ?? []) {
    if (!checkpoint) return bad(0, `the published checkpoint ${name} cannot be read: it was damaged or replaced`);
    if (keys.length > 0 && !checkpointSignatureValid(checkpoint, keys)) {
      return bad(checkpoint.treeSize, `the published checkpoint ${name} does not carry our signature`);
    }
    expect(checkpoint.treeSize, { hash: checkpoint.headHash, what: `the checkpoint published at ${checkpoint.timestamp}` });
    anchors += 1;
    if (!latestAnchor || checkpoint.treeSize > latestAnchor.treeSize) {
      latestAnchor = { treeSize: checkpoint.treeSize, timestamp: checkpoint.timestamp };
    }
  }

  let prevHash = GENESIS_HASH;
  const redacted = new Map<number, string>();
  const vouched = new Map<number, string>();
  const fetchFrom = (fromSeq: number) =>
    source.rows(`select ${ENTRY_COLUMNS} from audit_entries where seq >= $1 order by seq limit $2`, [fromSeq, batchSize]);
  /** What is wrong with the entry at `seq`, or null when it is sound. */
  const checkRow = (row: EntryRow, seq: number): string | null => {
    const hash = text(row[2]);
    if (row[1] !== prevHash) return `its previous hash does not match entry ${seq - 1}: entries were replaced or reordered`;
    const action = text(row[5]);
    const detail: unknown = row[9] === null ? null : JSON.parse(text(row[9]));
    if (action === DISPOSAL_ACTION) for (const v of vouchedBy(detail)) vouched.set(v.seq, v.bodyHash);
    const isRedacted = row[4] === true || row[4] === 't';
    const storedBodyHash = textOrNull(row[3]);
    // A redacted entry's contents were cleared on disposal: the hash of what it held stands in for
    // them, and a later disposal entry must name it with that hash (checked at the end).
    const contentHash =
      isRedacted && storedBodyHash !== null
        ? storedBodyHash
        : sha256(
            bodyText({
              action,
              actorId: text(row[6]),
              actorRole: text(row[7]) as AuditBody['actorRole'],
              at: text(row[8]),
              detail: detail as AuditBody['detail'],
              fromState: textOrNull(row[10]) as AuditBody['fromState'],
              httpRequestId: textOrNull(row[11]),
              id: text(row[12]),
              reason: textOrNull(row[13]),
              requestId: textOrNull(row[14]),
              toState: textOrNull(row[15]) as AuditBody['toState'],
            }),
          );
    if (isRedacted) redacted.set(seq, storedBodyHash ?? '');
    if (sha256(`${seq}:${prevHash}:${contentHash}`) !== hash) return 'its contents do not match its hash: the entry was edited';
    const wrong = expected.get(seq)?.find((c) => c.hash !== hash);
    return wrong ? `it does not match ${wrong.what}: the chain was rewritten` : null;
  };
  let next: Promise<readonly EntryRow[]> | null = fetchFrom(expectedSeq);
  while (next) {
    const rows: readonly EntryRow[] = await next;
    const last = rows[rows.length - 1];
    // The database reads the next batch while this one is checked.
    next = rows.length === batchSize && last ? fetchFrom(Number(last[0]) + 1) : null;
    for (const row of rows) {
      const seq = Number(row[0]);
      if (seq !== expectedSeq) {
        await next?.catch(() => undefined);
        return bad(expectedSeq, `entry ${expectedSeq} is missing (the next entry is ${seq}): entries were deleted or renumbered`);
      }
      const problem = checkRow(row, seq);
      if (problem) {
        await next?.catch(() => undefined);
        return bad(seq, problem);
      }
      prevHash = text(row[2]);
      expectedSeq += 1;
    }
  }

  for (const [seq, hash] of redacted) {
    if (vouched.get(seq) !== hash) {
      return bad(seq, 'its contents were cleared, but no disposal in the chain names it with the hash of what it held: the entry was edited');
    }
  }

  const lastSeq = expectedSeq - 1;
  let beyond: { seq: number; what: string } | null = null;
  for (const [seq, checks] of expected) {
    if (seq > lastSeq && (!beyond || seq > beyond.seq)) beyond = { seq, what: checks[0]?.what ?? '' };
  }
  if (beyond) {
    return bad(
      lastSeq + 1,
      `entries ${lastSeq + 1} to ${beyond.seq} are missing: ${beyond.what} records entry ${beyond.seq}, so the end of the trail was removed`,
    );
  }
  return result();
}
