/**
 * The retention register and disposal. Disposal turns the request row into an anonymised tombstone
 * that keeps exactly what the evaluation reads (states, times, team, the assessment's numbers and
 * ratings, the recorded reason for not proceeding), deletes its evidence, documents, pending
 * uploads and messages, and redacts its audit entries by hash (migration 032).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { RetentionCandidate, RetentionRepository, RetentionRequestSummary } from '../../app/ports';
import { bodyHash } from '../../audit/hash';
import { rowToAuditEntry } from '../../audit/log';
import { invalidState } from '../../domain/errors';
import { emptyRetentionRecord, type RetentionRecord } from '../../domain/retention';
import type { RequestState } from '../../domain/states';
import type { Database, RequestRetentionTable } from '../schema';
import { TOMBSTONE_TEXT_CLEARED } from '../migrations/089_tombstone_free_text';

function toRecord(requestId: string, row: Selectable<RequestRetentionTable> | undefined): RetentionRecord {
  if (!row) return emptyRetentionRecord(requestId);
  return { requestId, legalHold: row.legal_hold, proposal: row.proposal, disposal: row.disposal, filesToRemove: row.files_to_remove };
}

interface SummaryRow {
  id: string;
  reference: string;
  state: string;
  closed_at: string | null;
  disposed_at: string | null;
  team: string | null;
}

const toSummary = (r: SummaryRow): RetentionRequestSummary => ({
  id: r.id,
  reference: r.reference,
  state: r.state as RequestState,
  closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
  disposedAt: r.disposed_at ? new Date(r.disposed_at).toISOString() : null,
  team: r.team,
});

export function createRetentionRepository(db: Kysely<Database>): RetentionRepository {
  const summaries = () =>
    db
      .selectFrom('investigation_requests as r')
      .leftJoin('people as p', 'p.id', 'r.originating_worker_id')
      .select(['r.id', 'r.reference', 'r.state', 'r.closed_at', 'r.disposed_at', sql<string | null>`coalesce(nullif(r.form ->> 'team', ''), p.team)`.as('team')]);

  return {
    async request(id) {
      const row = await summaries().where('r.id', '=', id).executeTakeFirst();
      return row ? toSummary(row) : null;
    },

    async get(requestId) {
      return toRecord(requestId, await db.selectFrom('request_retention').selectAll().where('request_id', '=', requestId).executeTakeFirst());
    },

    async getForUpdate(requestId, at) {
      // The row exists from the first decision on, so two decisions on one request queue on its lock.
      await db.insertInto('request_retention').values({ request_id: requestId, legal_hold: null, proposal: null, disposal: null, files_to_remove: '[]', updated_at: at }).onConflict((oc) => oc.column('request_id').doNothing()).execute();
      return toRecord(requestId, await db.selectFrom('request_retention').selectAll().where('request_id', '=', requestId).forUpdate().executeTakeFirst());
    },

    async put(record, at) {
      await db
        .updateTable('request_retention')
        .set({
          legal_hold: record.legalHold ? JSON.stringify(record.legalHold) : null,
          proposal: record.proposal ? JSON.stringify(record.proposal) : null,
          disposal: record.disposal ? JSON.stringify(record.disposal) : null,
          files_to_remove: JSON.stringify(record.filesToRemove),
          updated_at: at,
        })
        .where('request_id', '=', record.requestId)
        .execute();
    },

    async candidates(closedBefore) {
      const rows = await summaries()
        .leftJoin('request_retention as k', 'k.request_id', 'r.id')
        .select(['k.legal_hold', 'k.proposal', 'k.disposal', 'k.files_to_remove', 'k.updated_at'])
        .where((eb) =>
          eb.or([
            eb.and([eb('r.closed_at', 'is not', null), eb('r.closed_at', '<=', closedBefore), eb('r.disposed_at', 'is', null)]),
            eb('k.legal_hold', 'is not', null),
            sql<boolean>`jsonb_array_length(coalesce(k.files_to_remove, '[]'::jsonb)) > 0`,
          ]),
        )
        .orderBy('r.closed_at')
        .orderBy('r.id')
        .execute();
      return rows.map(
        (row): RetentionCandidate => ({
          request: toSummary(row),
          record: row.updated_at === null ? emptyRetentionRecord(row.id) : { requestId: row.id, legalHold: row.legal_hold, proposal: row.proposal, disposal: row.disposal, filesToRemove: row.files_to_remove ?? [] },
        }),
      );
    },

    async dispose(requestId, at) {
      const entries = await db
        .selectFrom('audit_entries')
        .select(['position', 'seq', 'id', 'at', 'actor_id', 'actor_role', 'action', 'request_id', 'from_state', 'to_state', 'reason', 'detail', 'http_request_id', 'prev_hash', 'hash', 'body_hash', 'redacted_at'])
        .where('request_id', '=', requestId)
        .orderBy('position')
        .execute();
      if (entries.some((e) => e.seq === null)) {
        throw invalidState('Some of this request’s audit entries are still being linked into the chain. Try again in a few seconds.');
      }
      const toRedact = entries.filter((e): e is typeof e & { seq: number } => e.redacted_at === null && e.seq !== null);
      // Entries from before migration 050 carry no body hash: it is computed from them before they are cleared.
      const redacted = toRedact.map((e) => ({ seq: e.seq, bodyHash: e.body_hash ?? bodyHash(rowToAuditEntry(e)) }));
      if (toRedact.length > 0) {
        await sql`select audit_redact(${toRedact.map((e) => e.position)}::bigint[], ${redacted.map((r) => r.bodyHash)}::text[], ${at}::timestamptz)`.execute(db);
      }

      const evidence = await db.selectFrom('evidence_items').select('storage_key').where('request_id', '=', requestId).execute();
      const documents = await db.selectFrom('record_documents').select('storage_key').where('request_id', '=', requestId).execute();
      await db.deleteFrom('evidence_items').where('request_id', '=', requestId).execute();
      await db.deleteFrom('record_documents').where('request_id', '=', requestId).execute();
      await db.deleteFrom('pending_evidence').where('request_id', '=', requestId).execute();
      await db.deleteFrom('outbox').where('request_id', '=', requestId).execute();
      await db.deleteFrom('disclosure_keys').where('request_id', '=', requestId).execute();
      await db.deleteFrom('checked_subjects').where('request_id', '=', requestId).execute();
      await db.deleteFrom('content_links').where('request_id', '=', requestId).execute();
      await sql`
        update investigation_requests set
          case_reference = '',
          form = jsonb_strip_nulls(jsonb_build_object('team', form -> 'team')),
          agreement = case when agreement is null then null else jsonb_build_object('by', agreement -> 'by', 'at', agreement -> 'at') end,
          authorisation = case when authorisation is null then null else jsonb_build_object(
            'by', authorisation -> 'by', 'at', authorisation -> 'at', 'scope', jsonb_build_object('kind', authorisation -> 'scope' -> 'kind')) end,
          ${sql.raw(TOMBSTONE_TEXT_CLEARED)},
          log = case when log is null then null else jsonb_build_object('assessment', jsonb_strip_nulls(jsonb_build_object(
            'usefulPieces', log -> 'assessment' -> 'usefulPieces', 'uniquePieces', log -> 'assessment' -> 'uniquePieces',
            'contribution', log -> 'assessment' -> 'contribution'))) end,
          feedback = case when feedback is null then null else jsonb_strip_nulls(jsonb_build_object(
            'usefulPieces', feedback -> 'usefulPieces', 'uniquePieces', feedback -> 'uniquePieces', 'contribution', feedback -> 'contribution',
            'followUp', case when feedback -> 'followUp' is null then null
              else jsonb_build_object('longerTermUsefulness', feedback -> 'followUp' -> 'longerTermUsefulness') end)) end,
          disposed_at = ${at}, updated_at = ${at}
        where id = ${requestId}`.execute(db);
      return { redacted, files: [...evidence, ...documents].map((r) => r.storage_key) };
    },
  };
}
