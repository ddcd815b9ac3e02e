/**
 * Checks the audit chain from the first entry: each entry's hash must match its contents, each
 * must name the previous entry's hash, seqs must run 1, 2, 3 … without a gap, and every checkpoint
 * must match the entry at its seq — which also reveals entries removed from the end.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import { GENESIS_HASH, hashAuditEntry } from './hash';
import { rowToAuditEntry } from './log';

export interface AuditVerification {
  ok: boolean;
  /** Entries found sound, in order, before the first bad one (all of them when ok). */
  checked: number;
  firstBad?: { seq: number; problem: string };
}

const BATCH = 1000;

export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerification> {
  // One snapshot for the whole walk, so entries appended meanwhile cannot confuse it.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const checkpoints = new Map<number, string>();
      for (const cp of await trx.selectFrom('audit_checkpoints').select(['seq', 'hash']).execute()) checkpoints.set(cp.seq, cp.hash);

      let expectedSeq = 1;
      let prevHash = GENESIS_HASH;
      const bad = (seq: number, problem: string): AuditVerification => ({ ok: false, checked: expectedSeq - 1, firstBad: { seq, problem } });

      for (;;) {
        const rows = await trx.selectFrom('audit_entries').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(BATCH).execute();
        for (const row of rows) {
          const entry = rowToAuditEntry(row);
          if (entry.seq !== expectedSeq) {
            return bad(expectedSeq, `entry ${expectedSeq} is missing (the next entry is ${entry.seq}): entries were deleted or renumbered`);
          }
          if (entry.prevHash !== prevHash) {
            return bad(entry.seq, `its previous hash does not match entry ${entry.seq - 1}: entries were replaced or reordered`);
          }
          if (hashAuditEntry(entry) !== entry.hash) {
            return bad(entry.seq, 'its contents do not match its hash: the entry was edited');
          }
          const checkpoint = checkpoints.get(entry.seq);
          if (checkpoint !== undefined && checkpoint !== entry.hash) {
            return bad(entry.seq, `it does not match the checkpoint taken at seq ${entry.seq}: the chain was rewritten`);
          }
          prevHash = entry.hash;
          expectedSeq += 1;
        }
        if (rows.length < BATCH) break;
      }

      const lastSeq = expectedSeq - 1;
      let lastCheckpoint = 0;
      for (const seq of checkpoints.keys()) lastCheckpoint = Math.max(lastCheckpoint, seq);
      if (lastCheckpoint > lastSeq) {
        return bad(lastSeq + 1, `entries ${lastSeq + 1} to ${lastCheckpoint} are missing: a checkpoint records entry ${lastCheckpoint}, so the end of the trail was removed`);
      }
      return { ok: true, checked: lastSeq };
    });
}
