/**
 * The sequencer: links committed audit entries into the hash chain, in write order, a batch per
 * transaction (`audit_link`, migration 050). Only one links at a time across every instance
 * sharing the database; the others find the chain's lock taken and try again at their next poll.
 * A crash loses nothing: unlinked entries stay in the table and the next run (at start-up, or on
 * any other instance) links them.
 */
import { sql, type Kysely } from 'kysely';
import { createPoller, type Poller, type PollerOptions } from '../store/poller';
import type { Database } from '../store/schema';
import type { CheckpointSigner } from './checkpoint';
import { chainHead, DEFAULT_CHECKPOINT_EVERY, writeCheckpoint } from './log';

export interface LinkOptions {
  /** Entries linked per transaction. */
  batchSize?: number;
  /** A checkpoint is written at the head whenever the chain passes a multiple of this. */
  checkpointEvery?: number;
  /** Signs those checkpoints (the key is never in the database). */
  signer?: CheckpointSigner | null;
}

export interface LinkResult {
  linked: number;
  /** Another instance's sequencer held the chain, so this one linked nothing. */
  busy: boolean;
}

/** Links every entry committed so far (unless another sequencer is at it). */
export async function linkPending(db: Kysely<Database>, options: LinkOptions = {}): Promise<LinkResult> {
  const batchSize = options.batchSize ?? 1000;
  const checkpointEvery = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  let linked = 0;
  let busy = false;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ n: number }>`select audit_link(${batchSize}) as n`.execute(trx);
      return Number(rows[0]?.n ?? 0);
    });
    if (n < 0) busy = true;
    else linked += n;
    if (n < batchSize) break;
  }
  if (linked > 0) {
    const head = await chainHead(db);
    // The chain has passed a multiple of checkpointEvery since the last checkpoint written, by this
    // run, another instance's, or one whose checkpoint failed or died before it was written: compared
    // with what this run linked alone, a lost checkpoint was never made up and two instances could
    // each conclude the other had passed the multiple.
    const last = await db.selectFrom('audit_checkpoints').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    const lastSeq = Number(last?.seq ?? 0);
    if (head && Math.floor(head.seq / checkpointEvery) > Math.floor(lastSeq / checkpointEvery)) {
      await writeCheckpoint(db, { signer: options.signer ?? null });
    }
  }
  return { linked, busy };
}

export type SequencerOptions = LinkOptions & PollerOptions;

/** `runOnce` links what is waiting; entries are linked within the interval (default 250 ms) of their commit. */
export type AuditSequencer = Poller<LinkResult>;

export function createAuditSequencer(db: Kysely<Database>, options: SequencerOptions = {}): AuditSequencer {
  return createPoller(() => linkPending(db, options), options);
}
