/**
 * The work behind the requests has connections of its own on a PostgreSQL server
 * (SqlStore.background): while requests hold, or queue for, every connection of the request pool —
 * as under a burst of decisions — audit entries are still linked into the chain and notifications
 * still claimed and recorded. On the shared pool both waited behind the requests: entries written
 * under 100 concurrent decisions stayed unlinked for up to 2.3 s, where they must be linked within a
 * second of commit.
 */
import { createAuditSequencer } from '../../../src/audit';
import { createStore, type SqlStore } from '../../../src/store';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { auditInput } from '../../support/store-fixtures';

describe('the background pool on PostgreSQL', () => {
  let database: TestDatabase;
  let store: SqlStore;

  beforeAll(async () => {
    database = await freshDatabase('PostgreSQL');
    store = await createStore({ databaseUrl: (database.env as { DATABASE_URL: string }).DATABASE_URL, dataDir: ':memory:', poolSize: 2 });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  /** Holds every connection of the request pool until the returned function is called. */
  async function holdRequestPool(): Promise<() => Promise<void>> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let taken = 0;
    let allTaken!: () => void;
    const bothTaken = new Promise<void>((resolve) => (allTaken = resolve));
    const holders = [1, 2].map(() =>
      store.db.connection().execute(async () => {
        taken += 1;
        if (taken === 2) allTaken();
        await released;
      }),
    );
    await bothTaken;
    return async () => {
      release();
      await Promise.all(holders);
    };
  }

  it('links audit entries and claims and records notifications while every request connection is held', async () => {
    const entry = await store.read.audit.append(auditInput({ requestId: 'request-1' }), [
      { requestId: 'request-1', recipientId: 'sd-1', kind: 'agree_request', payload: { reference: 'SMC-2026-000001' } },
    ]);
    expect(entry.seq).toBeNull();

    const release = await holdRequestPool();
    let requestAnswered = false;
    const request = store.read.audit.listForRequest('request-1').then((entries) => {
      requestAnswered = true;
      return entries;
    });
    try {
      const sequencer = createAuditSequencer(store.background);
      await expect(sequencer.runOnce()).resolves.toEqual({ linked: 1, busy: false });

      const now = new Date(Date.now() + 1000);
      const claimed = await store.outboxQueue.claimDue(now, 10, 60);
      expect(claimed.map((m) => [m.recipientId, m.payload])).toEqual([['sd-1', { reference: 'SMC-2026-000001' }]]);
      await store.outboxQueue.record(claimed.map((m) => ({ id: m.id, attempts: m.attempts, sentAt: now })));

      // The request still waits for a connection of its own pool.
      expect(requestAnswered).toBe(false);
    } finally {
      await release();
    }
    const [linked] = await request;
    expect(linked).toMatchObject({ id: entry.id, seq: 1, prevHash: '0'.repeat(64) });
    expect(await store.outboxQueue.claimDue(new Date(Date.now() + 120_000), 10, 60)).toEqual([]);
  });

  it('closes both pools', async () => {
    const other = await createStore({ databaseUrl: (database.env as { DATABASE_URL: string }).DATABASE_URL, dataDir: ':memory:' });
    await other.background.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    await other.close();
    await expect(other.background.selectNoFrom((eb) => eb.lit(1).as('one')).execute()).rejects.toThrow();
    await expect(other.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute()).rejects.toThrow();
  });

  it('is the request pool itself on PGlite, which has one session', async () => {
    const embedded = await createStore({ dataDir: ':memory:' });
    try {
      expect(embedded.background).toBe(embedded.db);
    } finally {
      await embedded.close();
    }
  });
});
