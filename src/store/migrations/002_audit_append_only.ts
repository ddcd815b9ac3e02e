/**
 * The database itself refuses to change or remove audit entries and checkpoints, whoever asks:
 * row triggers stop UPDATE and DELETE, statement triggers stop TRUNCATE.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const auditAppendOnly: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'The audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`,
      ...['audit_entries', 'audit_checkpoints'].flatMap((table) => [
        `CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
      ]),
    ]);
  },
};
