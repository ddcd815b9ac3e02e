/**
 * Tampering with the audit trail behind the database's back (as a superuser who disables the
 * triggers) is caught by verifyAuditChain and by `npm run audit:verify`, on both backends.
 *
 * One database per backend, tampered with step by step: each step damages an entry earlier than
 * the one before, so the verifier must report the new, earlier entry each time.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import { verifyAuditChain, writeCheckpoint, type AuditVerification } from '../../../src/audit';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../support/databases';
import { auditInput } from '../../support/store-fixtures';

const ROOT = join(__dirname, '..', '..', '..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function auditVerifyCli(database: TestDatabase): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  delete env.NODE_OPTIONS;
  Object.assign(env, database.env);
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'audit:verify'], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.each(BACKENDS)('tampering on %s', (backend) => {
  const ENTRIES = 12;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await freshDatabase(backend);
    const store = await database.open();
    try {
      for (let i = 1; i <= ENTRIES; i += 1) {
        await store.transaction((uow) => uow.audit.append(auditInput({ requestId: `request-${i % 3}`, action: `step-${i}` })));
      }
      await writeCheckpoint(store.db);
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** Runs statements with the append-only triggers disabled, then verifies in-process. */
  async function tamper(...statements: RawBuilder<unknown>[]): Promise<AuditVerification> {
    const store = await database.open();
    try {
      await sql`ALTER TABLE audit_entries DISABLE TRIGGER USER`.execute(store.db);
      for (const statement of statements) await statement.execute(store.db);
      await sql`ALTER TABLE audit_entries ENABLE TRIGGER USER`.execute(store.db);
      await expect(sql`DELETE FROM audit_entries`.execute(store.db)).rejects.toThrow('append-only');
      return await verifyAuditChain(store.db);
    } finally {
      // PGlite allows one process per data directory: close before the CLI opens it.
      await store.close();
    }
  }

  it('reports an intact chain', async () => {
    const store = await database.open();
    try {
      expect(await verifyAuditChain(store.db)).toEqual({ ok: true, checked: ENTRIES });
    } finally {
      await store.close();
    }
    const cli = await auditVerifyCli(database);
    expect(cli.stdout.trim()).toBe(`Audit chain intact: ${ENTRIES} entries`);
    expect(cli.code).toBe(0);
  });

  it('detects entries removed from the end, by the checkpoint', async () => {
    const result = await tamper(sql`DELETE FROM audit_entries WHERE seq > 10`);
    expect(result).toEqual({
      ok: false,
      checked: 10,
      firstBad: { seq: 11, problem: 'entries 11 to 12 are missing: a checkpoint records entry 12, so the end of the trail was removed' },
    });
    const cli = await auditVerifyCli(database);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('Audit chain broken at seq 11: entries 11 to 12 are missing');
  });

  it('detects a deleted entry', async () => {
    const result = await tamper(sql`DELETE FROM audit_entries WHERE seq = 8`);
    expect(result).toEqual({
      ok: false,
      checked: 7,
      firstBad: { seq: 8, problem: 'entry 8 is missing (the next entry is 9): entries were deleted or renumbered' },
    });
    const cli = await auditVerifyCli(database);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('Audit chain broken at seq 8: entry 8 is missing');
  });

  it('detects an edited entry', async () => {
    const result = await tamper(sql`UPDATE audit_entries SET reason = 'Nothing to see here' WHERE seq = 5`);
    expect(result).toEqual({ ok: false, checked: 4, firstBad: { seq: 5, problem: 'its contents do not match its hash: the entry was edited' } });
    const cli = await auditVerifyCli(database);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('Audit chain broken at seq 5: its contents do not match its hash');
  });

  it('detects two entries swapped', async () => {
    const result = await tamper(
      sql`UPDATE audit_entries SET seq = 1000 WHERE seq = 2`,
      sql`UPDATE audit_entries SET seq = 2 WHERE seq = 3`,
      sql`UPDATE audit_entries SET seq = 3 WHERE seq = 1000`,
    );
    expect(result).toEqual({
      ok: false,
      checked: 1,
      firstBad: { seq: 2, problem: 'its previous hash does not match entry 1: entries were replaced or reordered' },
    });
    const cli = await auditVerifyCli(database);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('Audit chain broken at seq 2: its previous hash does not match entry 1');
  });
});
