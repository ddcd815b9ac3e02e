/**
 * The SharePoint evidence store's pending queue in PostgreSQL: every instance sees the same items,
 * claims them with FOR UPDATE SKIP LOCKED and a lease (as the outbox does), and reads the bytes
 * back from 1 MiB parts, so an item left by one instance is retried by whichever claims it.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { PendingQueue, PendingRecord, PendingStatus } from '../../evidence/sharepoint/pending';
import type { Database, PendingEvidenceTable } from '../schema';

const PART_BYTES = 1024 * 1024;

function toRecord(row: Selectable<PendingEvidenceTable>): PendingRecord {
  return {
    key: row.key,
    requestId: row.request_id,
    requestReference: row.request_reference,
    caseReference: row.case_reference,
    drivePath: row.drive_path,
    contentType: row.content_type,
    metadata: row.metadata as PendingRecord['metadata'],
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at,
    driveItemId: row.drive_item_id,
    webUrl: row.web_url,
    attempts: row.attempts,
    lastError: row.last_error,
    status: row.status as PendingStatus,
    notBefore: row.not_before,
  };
}

/** Reads a file in parts of exactly PART_BYTES (the last one shorter). */
async function* parts(file: string): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: PART_BYTES }) as AsyncIterable<Buffer>) {
    pending.push(chunk);
    length += chunk.length;
    while (length >= PART_BYTES) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, PART_BYTES);
      pending = [all.subarray(PART_BYTES)];
      length -= PART_BYTES;
    }
  }
  if (length > 0) yield Buffer.concat(pending);
}

export function createPendingEvidenceQueue(db: Kysely<Database>): PendingQueue {
  async function* bytes(key: string): AsyncGenerator<Buffer> {
    // One part at a time: a large file never sits whole in memory.
    for (let part = 0; ; part += 1) {
      const row = await db.selectFrom('pending_evidence_parts').select('bytes').where('key', '=', key).where('part', '=', part).executeTakeFirst();
      if (!row) return;
      yield Buffer.from(row.bytes);
    }
  }

  const queue: PendingQueue = {
    async hold(record, file) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('pending_evidence')
          .values({
            key: record.key,
            request_id: record.requestId,
            request_reference: record.requestReference,
            case_reference: record.caseReference,
            drive_path: record.drivePath,
            content_type: record.contentType,
            metadata: record.metadata ? JSON.stringify(record.metadata) : null,
            size: record.size,
            sha256: record.sha256,
            created_at: record.createdAt,
            drive_item_id: record.driveItemId,
            web_url: record.webUrl,
            attempts: record.attempts,
            last_error: record.lastError,
            status: record.status,
            not_before: record.notBefore,
          })
          .execute();
        // An item whose bytes are already in SharePoint needs only its record.
        if (record.driveItemId) return;
        let part = 0;
        for await (const piece of parts(file)) {
          await trx.insertInto('pending_evidence_parts').values({ key: record.key, part, bytes: piece }).execute();
          part += 1;
        }
      });
    },
    async update(record) {
      await db
        .updateTable('pending_evidence')
        .set({
          drive_item_id: record.driveItemId,
          web_url: record.webUrl,
          attempts: record.attempts,
          last_error: record.lastError?.slice(0, 2000) ?? null,
          status: record.status,
          not_before: record.notBefore,
          // An attempt's outcome ends its claim.
          claimed_until: null,
        })
        .where('key', '=', record.key)
        .execute();
    },
    async claimDue(now, limit, leaseMs) {
      const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
      const { rows } = await sql<Selectable<PendingEvidenceTable>>`
        WITH due AS (
          SELECT key FROM pending_evidence
          WHERE status = 'pending' AND not_before <= ${now.toISOString()}
            AND (claimed_until IS NULL OR claimed_until <= ${now.toISOString()})
          ORDER BY created_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE pending_evidence SET claimed_until = ${leaseUntil}
        FROM due
        WHERE pending_evidence.key = due.key
        RETURNING pending_evidence.*`.execute(db);
      return rows.map(toRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async load(key) {
      const row = await db.selectFrom('pending_evidence').selectAll().where('key', '=', key).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async list(limit) {
      const rows = await db.selectFrom('pending_evidence').selectAll().orderBy('created_at').orderBy('key').limit(limit).execute();
      return rows.map(toRecord);
    },
    async read(key) {
      return Readable.from(bytes(key));
    },
    async copyTo(key, file) {
      const out = createWriteStream(file);
      try {
        for await (const piece of bytes(key)) {
          if (!out.write(piece)) await once(out, 'drain');
        }
        out.end();
        await finished(out);
      } catch (error) {
        out.destroy();
        throw error;
      }
    },
    async remove(key) {
      await db.deleteFrom('pending_evidence').where('key', '=', key).execute();
    },
    async release(key, now) {
      // Due now, but a claim under way stands: the instance uploading it finishes or fails first.
      const result = await db.updateTable('pending_evidence').set({ status: 'pending', not_before: now.toISOString() }).where('key', '=', key).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
  return queue;
}
