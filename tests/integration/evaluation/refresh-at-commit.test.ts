/**
 * The evaluation row of a request is rebuilt once, when the transaction that wrote the request and
 * its audit entry commits (migration 084): not before, not after a rollback, and no note of what to
 * rebuild outlives its transaction. On PostgreSQL, a transaction that has written one request does
 * not hold up another writing a different one. On PGlite and on a PostgreSQL server.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { SqlStore } from '../../../src/store';
import type { Database } from '../../../src/store/schema';
import { BACKENDS, freshDatabase, openFreshStore, type TestDatabase } from '../../support/databases';
import { fullRequest } from '../../support/store-fixtures';

async function factsOf(db: Kysely<Database>, requestId: string): Promise<{ state: string; closing_action: string | null } | undefined> {
  return db.selectFrom('evaluation_facts').select(['state', 'closing_action']).where('request_id', '=', requestId).executeTakeFirst();
}

async function notesLeft(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from evaluation_pending`.execute(db);
  return rows[0]?.n ?? -1;
}

/** A decision's writes, as the application makes them: the request's state, then its audit entry. */
async function decide(db: Kysely<Database>, requestId: string, from: string, to: string, action: string): Promise<void> {
  await sql`update investigation_requests set state = ${to}, version = version + 1 where id = ${requestId}`.execute(db);
  await sql`insert into audit_entries (id, at, actor_id, actor_role, action, request_id, from_state, to_state, body_hash)
    values (${randomUUID()}, now(), 'tm', 'team_manager', ${action}, ${requestId}, ${from}, ${to}, ${'0'.repeat(64)})`.execute(db);
}

describe.each(BACKENDS)('the evaluation row rebuilt at commit on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store.close();
  });

  it('shows a decision only once it commits, with the state and closing action it wrote', async () => {
    const request = fullRequest({ state: 'awaiting_team_manager' });
    await store.read.requests.insert(request);
    expect(await factsOf(store.db, request.id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });

    await store.db.transaction().execute(async (trx) => {
      await decide(trx, request.id, 'awaiting_team_manager', 'declined', 'decline');
      expect(await factsOf(trx, request.id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });
    });

    expect(await factsOf(store.db, request.id)).toEqual({ state: 'declined', closing_action: 'decline' });
    expect(await notesLeft(store.db)).toBe(0);
  });

  it('leaves the row as it was, and no note, when the transaction rolls back', async () => {
    const request = fullRequest({ state: 'awaiting_team_manager' });
    await store.read.requests.insert(request);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await decide(trx, request.id, 'awaiting_team_manager', 'declined', 'decline');
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');

    expect(await factsOf(store.db, request.id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });
    expect(await notesLeft(store.db)).toBe(0);
  });

  it('rebuilds every request one statement wrote', async () => {
    const requests = [fullRequest({ state: 'awaiting_team_manager' }), fullRequest({ state: 'awaiting_team_manager' })];
    for (const request of requests) await store.read.requests.insert(request);
    const ids = requests.map((r) => r.id);
    await sql`update investigation_requests set state = 'cancelled' where id in (${sql.join(ids)})`.execute(store.db);

    for (const id of ids) expect((await factsOf(store.db, id))?.state).toBe('cancelled');
    expect(await notesLeft(store.db)).toBe(0);
  });
});

describe('concurrent decisions on PostgreSQL', () => {
  let database: TestDatabase;
  let store: SqlStore;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    database = await freshDatabase('PostgreSQL');
    store = await database.open();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await store.close();
    await database.drop();
  });

  it('commits one request while another transaction still holds its own, and both rows follow', async () => {
    const [first, second] = [fullRequest({ state: 'awaiting_team_manager' }), fullRequest({ state: 'awaiting_team_manager' })];
    for (const request of [first, second]) await store.read.requests.insert(request);
    const url = (database.env as { DATABASE_URL: string }).DATABASE_URL;
    for (let i = 0; i < 2; i += 1) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.push(client);
    }
    const [holding, committing] = clients as [pg.Client, pg.Client];
    const write = async (client: pg.Client, id: string) => {
      await client.query(`update investigation_requests set state = 'declined', version = version + 1 where id = $1`, [id]);
      await client.query(
        `insert into audit_entries (id, at, actor_id, actor_role, action, request_id, from_state, to_state, body_hash)
         values ($1, now(), 'tm', 'team_manager', 'decline', $2, 'awaiting_team_manager', 'declined', repeat('0', 64))`,
        [randomUUID(), id],
      );
    };

    await holding.query('begin');
    await write(holding, first!.id);
    // Were the second transaction to wait for the first, it would fail here instead of committing.
    await committing.query(`set lock_timeout = '5s'`);
    await committing.query('begin');
    await write(committing, second!.id);
    await committing.query('commit');
    expect(await factsOf(store.db, second!.id)).toEqual({ state: 'declined', closing_action: 'decline' });
    expect(await factsOf(store.db, first!.id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });

    await holding.query('commit');
    expect(await factsOf(store.db, first!.id)).toEqual({ state: 'declined', closing_action: 'decline' });
    expect(await notesLeft(store.db)).toBe(0);
  });
});
