/** Lists read requests newest first and page by (created_at, id): this index serves that order and the keyset. */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const requestListOrder: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [`CREATE INDEX investigation_requests_list_order_idx ON investigation_requests (created_at DESC, id DESC)`]);
  },
};
