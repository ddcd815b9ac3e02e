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
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema';
import { CHECKPOINT_ORIGIN, checkpointSignatureValid, type SignedCheckpoint } from './checkpoint';
import { canonicalJson, GENESIS_HASH } from './hash';
import { DISPOSAL_ACTION } from '../domain/disposal-action';
import type { PublishedCheckpoint } from './publish';

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
 * An entry as the walk reads it: its contents already written out by the query as canonical JSON
 * (bodyText, ./hash.ts) around `detail`, which jsonb stores with its keys reordered and so is
 * sorted here. Parsing sixteen columns into an object per entry took most of the walk's time.
 */
interface Row {
  seq: number;
  prev_hash: string;
  hash: string;
  body_hash: string | null;
  redacted: boolean;
  action: string;
  /** `{"action":…,"actorId":…,"actorRole":…,"at":…` */
  head: string;
  /** jsonb's own text, or null. */
  detail: string | null;
  /** `,"fromState":…,"toState":…}` */
  tail: string;
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

export async function verifyAuditChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 5_000;
  const keys = options.publicKeys ?? [];
  // One snapshot for the whole walk, so entries linked meanwhile cannot confuse it.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const unlinked = Number(
        (await sql<{ n: number }>`select count(*)::int as n from audit_entries where seq is null`.execute(trx)).rows[0]?.n ?? 0,
      );
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
      const inDatabase = await trx.selectFrom('audit_checkpoints').select(['seq', 'hash', 'at', 'key_id', 'signature']).orderBy('seq').execute();
      for (const cp of inDatabase) {
        if (cp.signature !== null && cp.key_id !== null && keys.length > 0) {
          const signed: SignedCheckpoint = {
            origin: CHECKPOINT_ORIGIN,
            treeSize: cp.seq,
            headHash: cp.hash,
            timestamp: cp.at,
            keyId: cp.key_id,
            signature: cp.signature,
          };
          if (!checkpointSignatureValid(signed, keys)) {
            return bad(cp.seq, `the checkpoint in the database at seq ${cp.seq} does not carry our signature: checkpoints were rewritten`);
          }
        }
        expect(cp.seq, { hash: cp.hash, what: `the checkpoint taken at seq ${cp.seq}` });
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
      // The query writes each member as JSON.stringify would (PostgreSQL's to_json escapes the same
      // characters the same way, and text cannot hold the lone surrogates only JavaScript escapes),
      // and `at` as the application writes it (ISO 8601, UTC, milliseconds).
      const fetchFrom = async (fromSeq: number): Promise<Row[]> =>
        (
          await sql<Row>`
            select seq, prev_hash, hash, body_hash, redacted_at is not null as redacted, action,
              '{"action":' || to_json(action) || ',"actorId":' || to_json(actor_id) || ',"actorRole":' || to_json(actor_role)
                || ',"at":"' || to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' as head,
              detail::text as detail,
              ',"fromState":' || coalesce(to_json(from_state)::text, 'null') || ',"httpRequestId":' || coalesce(to_json(http_request_id)::text, 'null')
                || ',"id":' || to_json(id) || ',"reason":' || coalesce(to_json(reason)::text, 'null')
                || ',"requestId":' || coalesce(to_json(request_id)::text, 'null') || ',"toState":' || coalesce(to_json(to_state)::text, 'null') || '}' as tail
            from audit_entries where seq >= ${fromSeq} order by seq limit ${batchSize}`.execute(trx)
        ).rows;
      /** What is wrong with the entry at `seq`, or null when it is sound. */
      const checkRow = (row: Row, seq: number): string | null => {
        if (row.prev_hash !== prevHash) return `its previous hash does not match entry ${seq - 1}: entries were replaced or reordered`;
        const detail: unknown = row.detail === null ? null : JSON.parse(row.detail);
        if (row.action === DISPOSAL_ACTION) for (const v of vouchedBy(detail)) vouched.set(v.seq, v.bodyHash);
        // A redacted entry's contents were cleared on disposal: the hash of what it held stands in for
        // them, and a later disposal entry must name it with that hash (checked at the end).
        let contentHash: string;
        if (row.redacted && row.body_hash !== null) {
          contentHash = row.body_hash;
        } else {
          contentHash = sha256(`${row.head},"detail":${detail === null ? 'null' : canonicalJson(detail)}${row.tail}`);
        }
        if (row.redacted) redacted.set(seq, row.body_hash ?? '');
        if (sha256(`${seq}:${prevHash}:${contentHash}`) !== row.hash) return 'its contents do not match its hash: the entry was edited';
        const checks = expected.get(seq);
        const wrong = checks?.find((c) => c.hash !== row.hash);
        return wrong ? `it does not match ${wrong.what}: the chain was rewritten` : null;
      };
      let next: Promise<Row[]> | null = fetchFrom(expectedSeq);
      while (next) {
        const rows: Row[] = await next;
        const last = rows[rows.length - 1];
        // The database reads the next batch while this one is checked.
        next = rows.length === batchSize && last ? fetchFrom(Number(last.seq) + 1) : null;
        for (const row of rows) {
          const seq = Number(row.seq);
          if (seq !== expectedSeq) {
            await next?.catch(() => undefined);
            return bad(expectedSeq, `entry ${expectedSeq} is missing (the next entry is ${seq}): entries were deleted or renumbered`);
          }
          const problem = checkRow(row, seq);
          if (problem) {
            await next?.catch(() => undefined);
            return bad(seq, problem);
          }
          prevHash = row.hash;
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
    });
}
