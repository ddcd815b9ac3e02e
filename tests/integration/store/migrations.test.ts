/**
 * Migrations are numbered by feature area, so a release can bring one numbered below the highest a
 * council's database has already run. Opening the store must run it, not refuse to start.
 */
import { sql } from 'kysely';
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
