/** Migration 041: the database itself refuses a request state the protocol does not have. */
import { sql } from 'kysely';
import { REQUEST_STATES } from '../../../src/domain/states';
import { migrate, type SqlStore } from '../../../src/store';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { fullRequest } from '../../support/store-fixtures';

describe.each(BACKENDS)('investigation_requests.state on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('accepts every state of the protocol', async () => {
    for (const state of REQUEST_STATES) {
      const request = fullRequest({ state });
      await store.read.requests.insert(request);
      expect((await store.read.requests.get(request.id))?.state).toBe(state);
    }
  });

  it('refuses any other state, on insert and on update, and keeps the row as it was', async () => {
    const request = fullRequest({ state: 'draft' });
    await store.read.requests.insert(request);
    await expect(sql`UPDATE investigation_requests SET state = 'approved' WHERE id = ${request.id}`.execute(store.db)).rejects.toThrow(
      /investigation_requests_state_check/,
    );
    expect((await store.read.requests.get(request.id))?.state).toBe('draft');
    await expect(store.read.requests.insert(fullRequest({ state: 'Draft' as never }))).rejects.toThrow(/investigation_requests_state_check/);
  });

  it('is added to a database that already ran later-numbered migrations', async () => {
    await sql`ALTER TABLE investigation_requests DROP CONSTRAINT investigation_requests_state_check`.execute(store.db);
    await sql`DELETE FROM kysely_migration WHERE name = '041_request_state_check'`.execute(store.db);
    await migrate(store.db);
    const { rows } = await sql<{ conname: string }>`SELECT conname FROM pg_constraint WHERE conname = 'investigation_requests_state_check'`.execute(store.db);
    expect(rows).toHaveLength(1);
  });
});
