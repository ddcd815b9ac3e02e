/** verifyAuditChain: the walk of ./walk.ts through the app's own connection. */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../store/schema';
import { walkAuditChain, type AuditVerification, type VerifyOptions } from './walk';

export type { AuditVerification, VerifyOptions } from './walk';

/** Verifies in a repeatable-read transaction: one snapshot for the whole walk. */
export async function verifyAuditChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<AuditVerification> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) =>
      walkAuditChain(
        {
          rows: async (query, values) => (await trx.executeQuery(CompiledQuery.raw(query, [...values]))).rows.map((row) => Object.values(row as object)),
        },
        options,
      ),
    );
}
