/**
 * A request's evaluation row is rebuilt after the transaction that wrote it commits (migration
 * 085): each write notes its requests in its own transaction, and a projection — the background
 * projector's, or the one every read of the figures makes first — rebuilds the noted rows. Never
 * from an uncommitted write, nothing after a rollback, nothing lost while another transaction is
 * still open, and a read never misses a decision committed before it. On PGlite and on a
 * PostgreSQL server.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { EVALUATION_PROJECTION_LOCK } from '../../../src/store/migrations/085_evaluation_projected_after_commit';
import { projectPendingEvaluation, type SqlStore } from '../../../src/store';
import type { Database } from '../../../src/store/schema';
import { BACKENDS, freshDatabase, openFreshStore, type TestDatabase } from '../../support/databases';
import { fullRequest } from '../../support/store-fixtures';

/** The row as it stands, read without projecting first. */
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

const PERIOD = { from: '2000-01-01', to: '2100-01-01' };

describe.each(BACKENDS)('the evaluation row projected after commit on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store.close();
  });

  async function inserted(state: 'awaiting_team_manager'): Promise<string> {
    const request = fullRequest({ state, submittedAt: '2026-06-01T09:00:00.000Z' });
    await store.read.requests.insert(request);
    await projectPendingEvaluation(store.db);
    return request.id;
  }

  it('projects a decision only once it commits, with the state and closing action it wrote, and takes its note', async () => {
    const id = await inserted('awaiting_team_manager');
    expect(await factsOf(store.db, id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });

    await store.db.transaction().execute(async (trx) => {
      await decide(trx, id, 'awaiting_team_manager', 'declined', 'decline');
      expect(await projectPendingEvaluation(trx)).toBe(1);
      expect(await factsOf(trx, id)).toEqual({ state: 'declined', closing_action: 'decline' });
      throw new Error('undo the look inside');
    }).catch(() => undefined);
    // Projected inside the transaction it was written in, and rolled back with it: as it was.
    expect(await factsOf(store.db, id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });

    await store.db.transaction().execute((trx) => decide(trx, id, 'awaiting_team_manager', 'declined', 'decline'));
    // Committed, not yet projected: the row is behind until a projection runs.
    expect(await factsOf(store.db, id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });
    // Two notes, the request's and its audit entry's, for one row.
    expect(await notesLeft(store.db)).toBe(2);
    expect(await projectPendingEvaluation(store.db)).toBe(1);
    expect(await factsOf(store.db, id)).toEqual({ state: 'declined', closing_action: 'decline' });
    expect(await notesLeft(store.db)).toBe(0);
  });

  it('leaves the row as it was, and no note, when the transaction rolls back', async () => {
    const id = await inserted('awaiting_team_manager');
    await expect(
      store.db.transaction().execute(async (trx) => {
        await decide(trx, id, 'awaiting_team_manager', 'declined', 'decline');
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');

    expect(await notesLeft(store.db)).toBe(0);
    expect(await projectPendingEvaluation(store.db)).toBe(0);
    expect(await factsOf(store.db, id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });
  });

  it('rebuilds every request one statement wrote', async () => {
    const ids = [await inserted('awaiting_team_manager'), await inserted('awaiting_team_manager')];
    await sql`update investigation_requests set state = 'cancelled' where id in (${sql.join(ids)})`.execute(store.db);

    await projectPendingEvaluation(store.db);
    for (const id of ids) expect((await factsOf(store.db, id))?.state).toBe('cancelled');
    expect(await notesLeft(store.db)).toBe(0);
  });

  it('works through a backlog in batches, each request rebuilt once per batch that holds it', async () => {
    const ids = [await inserted('awaiting_team_manager'), await inserted('awaiting_team_manager'), await inserted('awaiting_team_manager')];
    // Six notes that name one request each, two by two: the first batch of two notes holds one request.
    for (const id of ids) await store.db.transaction().execute((trx) => decide(trx, id, 'awaiting_team_manager', 'declined', 'decline'));
    expect(await projectPendingEvaluation(store.db, 2)).toBe(3);
    for (const id of ids) expect(await factsOf(store.db, id)).toEqual({ state: 'declined', closing_action: 'decline' });
    expect(await notesLeft(store.db)).toBe(0);
  });

  it('works through one statement that wrote more requests than a batch, in batches, noting the rest again', async () => {
    const ids = [await inserted('awaiting_team_manager'), await inserted('awaiting_team_manager'), await inserted('awaiting_team_manager')];
    await sql`update investigation_requests set state = 'cancelled' where id in (${sql.join(ids)})`.execute(store.db);
    expect(await notesLeft(store.db)).toBe(1);

    const { rows } = await sql<{ rebuilt: number; more: boolean }>`select rebuilt, more from evaluation_project_pending(2)`.execute(store.db);
    expect(rows).toEqual([{ rebuilt: 2, more: true }]);
    const sorted = [...ids].sort();
    expect((await factsOf(store.db, sorted[2] as string))?.state).toBe('awaiting_team_manager');
    expect(await notesLeft(store.db)).toBe(1);

    expect(await projectPendingEvaluation(store.db, 2)).toBe(1);
    for (const id of ids) expect((await factsOf(store.db, id))?.state).toBe('cancelled');
    expect(await notesLeft(store.db)).toBe(0);
  });

  it('counts a decision committed just before a read of the figures, with no projector running', async () => {
    const id = await inserted('awaiting_team_manager');
    await store.db.transaction().execute((trx) => decide(trx, id, 'awaiting_team_manager', 'declined', 'decline'));
    const rows = await store.evaluation.rows(PERIOD);
    expect(rows.find((row) => row.requestId === id)).toEqual(expect.objectContaining({ state: 'declined', closingAction: 'decline' }));
    expect(await notesLeft(store.db)).toBe(0);
  });
});

describe('concurrent decisions and projections on PostgreSQL', () => {
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

  async function connected(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: (database.env as { DATABASE_URL: string }).DATABASE_URL });
    await client.connect();
    clients.push(client);
    return client;
  }

  it('projects a committed decision while another transaction still holds its own, and the other once it commits', async () => {
    const [first, second] = [fullRequest({ state: 'awaiting_team_manager' }), fullRequest({ state: 'awaiting_team_manager' })];
    for (const request of [first, second]) await store.read.requests.insert(request);
    await projectPendingEvaluation(store.db);
    const [holding, committing] = [await connected(), await connected()];
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
    // Were the second transaction, or the projection, to wait for the first, they would fail here.
    await committing.query(`set lock_timeout = '5s'`);
    await committing.query('begin');
    await write(committing, second!.id);
    await committing.query('commit');
    await projectPendingEvaluation(store.db);
    expect(await factsOf(store.db, second!.id)).toEqual({ state: 'declined', closing_action: 'decline' });
    expect(await factsOf(store.db, first!.id)).toEqual({ state: 'awaiting_team_manager', closing_action: null });

    await holding.query('commit');
    expect(await notesLeft(store.db)).toBe(2);
    await projectPendingEvaluation(store.db);
    expect(await factsOf(store.db, first!.id)).toEqual({ state: 'declined', closing_action: 'decline' });
    expect(await notesLeft(store.db)).toBe(0);
  });

  it('a read of the figures waits for a projection running elsewhere, then counts what it had taken', async () => {
    const request = fullRequest({ state: 'awaiting_team_manager', submittedAt: '2026-06-01T09:00:00.000Z' });
    await store.read.requests.insert(request);
    await projectPendingEvaluation(store.db);
    await store.db.transaction().execute((trx) => decide(trx, request.id, 'awaiting_team_manager', 'declined', 'decline'));
    // Another instance's projection: it has taken the notes but not yet committed their rows.
    const elsewhere = await connected();
    await elsewhere.query('begin');
    expect((await elsewhere.query(`select rebuilt, more from evaluation_project_pending(1000)`)).rows[0]).toEqual({ rebuilt: 1, more: false });

    let read: string | null = null;
    const reading = store.evaluation.rows(PERIOD).then((rows) => {
      read = rows.find((row) => row.requestId === request.id)?.state ?? 'missing';
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(read).toBeNull();
    const { rows } = await elsewhere.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = $1 and granted`, [EVALUATION_PROJECTION_LOCK]);
    expect(rows[0]).toEqual({ n: 1 });

    await elsewhere.query('commit');
    await reading;
    expect(read).toBe('declined');
  });
});
