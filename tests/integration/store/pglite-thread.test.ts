/**
 * `npm start` runs embedded PGlite in a thread of its own (src/store/pglite-session.ts): queries, their
 * errors and binary values cross between the threads intact, the query's parameters (which can
 * hold personal data) do not cross with an error, and a closed database says so.
 */
import { openPGliteInThread, type PGliteSession } from '../../../src/store/pglite-session';

describe('PGlite in its own thread', () => {
  let session: PGliteSession;
  beforeAll(async () => {
    session = await openPGliteInThread(':memory:');
    await session.query('create table t (id int primary key, name text not null, bytes bytea)', []);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('answers queries with their rows and the rows they changed', async () => {
    const inserted = await session.query('insert into t (id, name, bytes) values ($1, $2, $3), ($4, $5, $6)', [1, 'one', Buffer.from([0, 1, 255]), 2, 'two', null]);
    expect(inserted.affectedRows).toBe(2);
    const { rows } = await session.query<{ id: number; name: string; bytes: Uint8Array | null }>('select id, name, bytes from t order by id', []);
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(Buffer.from(rows[0]?.bytes ?? [])).toEqual(Buffer.from([0, 1, 255]));
    expect(rows[1]?.bytes).toBeNull();
  });

  it("passes PostgreSQL's error fields across, but not the query's parameters", async () => {
    const error = await session.query('insert into t (id, name) values ($1, $2)', [1, 'Jane Doe, 12 High Street']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 't_pkey', severity: 'ERROR' });
    expect(Object.keys(error as object)).not.toContain('params');
    expect(JSON.stringify(error)).not.toContain('High Street');
  });

  it('keeps the order of queries sent together', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => session.query<{ n: number }>('select $1::int as n', [i])));
    expect(answers.map((a) => a.rows[0]?.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('refuses queries once closed, saying the database stopped', async () => {
    const other = await openPGliteInThread(':memory:');
    await other.close();
    expect(other.closed).toBe(true);
    await expect(other.query('select 1', [])).rejects.toThrow(/embedded database stopped/);
  });
});
