/**
 * Migrations are numbered by feature area, so a release can bring one numbered below the highest a
 * council's database has already run. Opening the store must run it, not refuse to start.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { migrate } from '../../../src/store/database';
import { BACKENDS, freshDatabase } from '../../support/databases';

describe.each(BACKENDS)('migrations on %s', (backend) => {
  test('a migration numbered below one already run is still applied, once', async () => {
    const database = await freshDatabase(backend);
    try {
      const store = await database.open();
      // As a database looked before 040 shipped: every later migration run, 040 not.
      await sql`DELETE FROM kysely_migration WHERE name = '040_request_list_order'`.execute(store.db);
      await sql`DROP INDEX investigation_requests_list_order_idx`.execute(store.db);
      await migrate(store.db);
      await migrate(store.db);
      const index = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'investigation_requests_list_order_idx'`.execute(store.db);
      const recorded = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration WHERE name = '040_request_list_order'`.execute(store.db);
      expect([index.rows[0]?.n, recorded.rows[0]?.n]).toEqual([1, 1]);
      await store.close();
    } finally {
      await database.drop();
    }
  });
});

describe('migrations on PostgreSQL with several instances', () => {
  test('an instance finding the schema up to date starts without waiting for another that is migrating', async () => {
    const database = await freshDatabase('PostgreSQL');
    const other = new pg.Client({ connectionString: 'DATABASE_URL' in database.env ? database.env.DATABASE_URL : '' });
    try {
      const store = await database.open();
      await other.connect();
      // Another instance in the middle of a (long) migration holds the migration lock.
      await other.query('SELECT pg_advisory_lock(5146310091)');
      await expect(migrate(store.db)).resolves.toBeUndefined();
      await store.close();
    } finally {
      await other.end();
      await database.drop();
    }
  });
});
