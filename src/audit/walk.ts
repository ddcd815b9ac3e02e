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
 * What the walk has found so far, shared by walkAuditChain and the PostgreSQL walk of
 * ./verify-postgres.ts, which read entries differently and check them the same way.
 */
export class ChainWalk {
  /** The seq the next entry must have: entries before it are sound. */
  nextSeq = 1;
  /** The hash the next entry must name as its previous hash. */
  prevHash = GENESIS_HASH;
  unlinked = 0;
  private anchors = 0;
  private latestAnchor: AuditVerification['latestAnchor'] = null;
  /** What each checkpoint says the entry at its tree size must be. */
  private readonly expected = new Map<number, Expectation[]>();
  /** Redacted entries: what stands in for their contents, and the request they were about. */
  private readonly redacted = new Map<number, { bodyHash: string; requestId: string | null }>();
  /** Entries disposals name: the hash of what each held, and the disposal's seq and request. */
  private readonly vouched = new Map<number, { bodyHash: string; bySeq: number; requestId: string | null }>();

  result(firstBad?: AuditVerification['firstBad']): AuditVerification {
    return {
      ok: !firstBad,
      checked: this.nextSeq - 1,
      unlinked: this.unlinked,
      anchors: this.anchors,
      latestAnchor: this.latestAnchor,
      ...(firstBad ? { firstBad } : {}),
    };
  }

  bad(seq: number, problem: string): AuditVerification {
    return this.result({ seq, problem });
  }

  private expect(seq: number, e: Expectation): void {
    this.expected.set(seq, [...(this.expected.get(seq) ?? []), e]);
  }

  /** Reads the unlinked count and the checkpoints; a verdict when one of them is already bad. */
  async begin(source: ChainSource, options: VerifyOptions): Promise<AuditVerification | null> {
    const keys = options.publicKeys ?? [];
    const [counted] = await source.rows('select count(*)::int from audit_entries where seq is null', []);
    this.unlinked = Number(counted?.[0] ?? 0);
    const inDatabase = await source.rows(`select seq, hash, ${ISO_AT} as at, key_id, signature from audit_checkpoints order by seq`, []);
    for (const [seqText, hash, at, keyId, signature] of inDatabase) {
      const seq = Number(seqText);
      // With keys to check against, a checkpoint without a signature proves nothing: blanking the
      // signatures must not turn the checkpoints a rewrite would contradict into ones it can recompute.
      if (keys.length > 0 && (signature === null || keyId === null)) {
        return this.bad(seq, `the checkpoint in the database at seq ${seq} carries no signature: checkpoints were rewritten, or written by a server without AUDIT_SIGNING_KEY`);
      }
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
          return this.bad(seq, `the checkpoint in the database at seq ${seq} does not carry our signature: checkpoints were rewritten`);
        }
      }
      this.expect(seq, { hash: text(hash), what: `the checkpoint taken at seq ${seq}` });
    }
    for (const { name, checkpoint } of options.published ?? []) {
      if (!checkpoint) return this.bad(0, `the published checkpoint ${name} cannot be read: it was damaged or replaced`);
      if (keys.length > 0 && !checkpointSignatureValid(checkpoint, keys)) {
        return this.bad(checkpoint.treeSize, `the published checkpoint ${name} does not carry our signature`);
      }
      this.expect(checkpoint.treeSize, { hash: checkpoint.headHash, what: `the checkpoint published at ${checkpoint.timestamp}` });
      this.anchors += 1;
      if (!this.latestAnchor || checkpoint.treeSize > this.latestAnchor.treeSize) {
        this.latestAnchor = { treeSize: checkpoint.treeSize, timestamp: checkpoint.timestamp };
      }
    }
    return null;
  }

  /** Entry nextSeq is a disposal of `requestId`: its detail names the entries it redacted, each with the hash of what it held. */
  vouch(detail: unknown, requestId: string | null): void {
    for (const v of vouchedBy(detail)) this.vouched.set(v.seq, { bodyHash: v.bodyHash, bySeq: this.nextSeq, requestId });
  }

  /** Entry nextSeq, about `requestId`, had its contents cleared on disposal, `storedBodyHash` standing in for them. */
  redactedEntry(storedBodyHash: string | null, requestId: string | null): void {
    this.redacted.set(this.nextSeq, { bodyHash: storedBodyHash ?? '', requestId });
  }

  /** The hash entry nextSeq must have, from its contents' hash and the previous entry's hash. */
  linkHash(contentHash: string): string {
    return sha256(`${this.nextSeq}:${this.prevHash}:${contentHash}`);
  }

  /**
   * The last check of entry nextSeq, whose hash was found to be linkHash's: it must match every
   * checkpoint at its seq. Moves on to the next entry when it does.
   */
  linked(hash: string): string | null {
    const wrong = this.expected.get(this.nextSeq)?.find((c) => c.hash !== hash);
    if (wrong) return `it does not match ${wrong.what}: the chain was rewritten`;
    this.prevHash = hash;
    this.nextSeq += 1;
    return null;
  }

  /** The verdict once every linked entry has been read and found sound. */
  finish(): AuditVerification {
    for (const [seq, entry] of this.redacted) {
      const vouch = this.vouched.get(seq);
      if (vouch?.bodyHash !== entry.bodyHash) {
        return this.bad(seq, 'its contents were cleared, but no disposal in the chain names it with the hash of what it held: the entry was edited');
      }
      // Only the disposal of the entry's own request, written after it, may vouch for it: otherwise a
      // disposal entry appended for any request could make any entry look redacted.
      if (entry.requestId === null || vouch.requestId !== entry.requestId || vouch.bySeq <= seq) {
        return this.bad(seq, `its contents were cleared, but the disposal naming it (entry ${vouch.bySeq}) is not a later disposal of its own request: the entry was edited`);
      }
    }
    const lastSeq = this.nextSeq - 1;
    let beyond: { seq: number; what: string } | null = null;
    for (const [seq, checks] of this.expected) {
      if (seq > lastSeq && (!beyond || seq > beyond.seq)) beyond = { seq, what: checks[0]?.what ?? '' };
    }
    if (beyond) {
      return this.bad(
        lastSeq + 1,
        `entries ${lastSeq + 1} to ${beyond.seq} are missing: ${beyond.what} records entry ${beyond.seq}, so the end of the trail was removed`,
      );
    }
    return this.result();
  }
}

export const PREVIOUS_HASH_PROBLEM = (seq: number): string => `its previous hash does not match entry ${seq - 1}: entries were replaced or reordered`;
export const EDITED_PROBLEM = 'its contents do not match its hash: the entry was edited';
export const MISSING_PROBLEM = (expected: number, found: number): string =>
  `entry ${expected} is missing (the next entry is ${found}): entries were deleted or renumbered`;

/**
 * The walk itself, reading from `source`, which must hold one snapshot throughout (a
 * repeatable-read transaction), so that entries linked meanwhile cannot confuse it.
 */
export async function walkAuditChain(source: ChainSource, options: VerifyOptions = {}): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 5_000;
  const walk = new ChainWalk();
  const early = await walk.begin(source, options);
  if (early) return early;

  const fetchFrom = (fromSeq: number) =>
    source.rows(`select ${ENTRY_COLUMNS} from audit_entries where seq >= $1 order by seq limit $2`, [fromSeq, batchSize]);
  /** What is wrong with entry nextSeq, or null when it is sound. */
  const checkRow = (row: EntryRow, seq: number): string | null => {
    if (row[1] !== walk.prevHash) return PREVIOUS_HASH_PROBLEM(seq);
    const action = text(row[5]);
    const detail: unknown = row[9] === null ? null : JSON.parse(text(row[9]));
    if (action === DISPOSAL_ACTION) walk.vouch(detail, textOrNull(row[14]));
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
    if (isRedacted) walk.redactedEntry(storedBodyHash, textOrNull(row[14]));
    const hash = text(row[2]);
    return walk.linkHash(contentHash) === hash ? walk.linked(hash) : EDITED_PROBLEM;
  };
  let next: Promise<readonly EntryRow[]> | null = fetchFrom(walk.nextSeq);
  while (next) {
    const rows: readonly EntryRow[] = await next;
    const last = rows[rows.length - 1];
    // The database reads the next batch while this one is checked.
    next = rows.length === batchSize && last ? fetchFrom(Number(last[0]) + 1) : null;
    for (const row of rows) {
      const seq = Number(row[0]);
      const problem = seq !== walk.nextSeq ? MISSING_PROBLEM(walk.nextSeq, seq) : checkRow(row, seq);
      if (problem) {
        await next?.catch(() => undefined);
        return walk.bad(walk.nextSeq, problem);
      }
    }
  }
  return walk.finish();
}
