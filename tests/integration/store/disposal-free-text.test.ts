/**
 * Disposal leaves no free text in the tombstone, on PGlite and on a PostgreSQL server: the last
 * decision's reason and every doubt's reason, view and resolution note go (who and when stay), and
 * so do the request's repeat-check keys and content links; migration 089 does the same to tombstones
 * made before.
 */
import { sql } from 'kysely';
import type { SqlStore } from '../../../src/store';
import type { Doubt } from '../../../src/domain/request';
import { requestSubjectKeys } from '../../../src/domain/repeat-checks';
import { tombstoneFreeText } from '../../../src/store/migrations/089_tombstone_free_text';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { fullRequest } from '../../support/store-fixtures';

const DOUBTS: Doubt[] = [
  {
    raisedBy: 'imran.malik',
    raisedAs: 'access_worker',
    raisedAt: '2026-11-04T10:00:00.000Z',
    reason: 'Unsure the Zelda Quist profile is hers',
    serviceManagerView: { by: 'grace.lee', at: '2026-11-04T11:00:00.000Z', note: 'Zelda Quist’s date of birth matches' },
    resolution: { by: 'sarah.mitchell', at: '2026-11-04T12:00:00.000Z', outcome: 'resume', note: 'Resume: Zelda Quist verified by Grace' },
  },
  { raisedBy: 'amelia.hart', raisedAs: 'originating_worker', raisedAt: '2026-11-05T10:00:00.000Z', reason: 'Orrin Vantablack may be using another name', serviceManagerView: null, resolution: null },
];
const LAST_REASON = { by: 'sarah.mitchell', at: '2026-11-04T12:00:00.000Z', reason: 'Resume: Zelda Quist verified by Grace' };
const CLEARED_DOUBTS = [
  {
    raisedBy: 'imran.malik',
    raisedAs: 'access_worker',
    raisedAt: '2026-11-04T10:00:00.000Z',
    reason: '',
    serviceManagerView: { by: 'grace.lee', at: '2026-11-04T11:00:00.000Z', note: '' },
    resolution: { by: 'sarah.mitchell', at: '2026-11-04T12:00:00.000Z', outcome: 'resume', note: '' },
  },
  { raisedBy: 'amelia.hart', raisedAs: 'originating_worker', raisedAt: '2026-11-05T10:00:00.000Z', reason: '', serviceManagerView: null, resolution: null },
];

describe.each(BACKENDS)('disposal’s free text on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  /** An authorised request (so its subjects are keyed for repeat checks) with doubts, a last reason and a content link. */
  async function requestWithText() {
    const request = { ...fullRequest(), doubts: DOUBTS, lastReason: LAST_REASON };
    await store.read.requests.insert(request);
    await store.db
      .insertInto('content_links')
      .values({ token_hash: `hash-${request.id}`, kind: 'evidence', request_id: request.id, item_id: 'item-1', person_id: 'imran.malik', download: false, issued_at: '2026-11-04T10:00:00.000Z', expires_at: '2026-11-04T10:05:00.000Z', used_at: null })
      .execute();
    const keys = requestSubjectKeys(request).map((k) => k.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(await store.read.requests.checkedSince(keys, '2026-01-01T00:00:00.000Z')).not.toEqual([]);
    return { request, keys };
  }

  async function expectNoText(id: string, keys: string[]) {
    const row = await store.db.selectFrom('investigation_requests').select(['doubts', 'last_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.doubts).toEqual(CLEARED_DOUBTS);
    expect(row.last_reason).toEqual({ by: 'sarah.mitchell', at: '2026-11-04T12:00:00.000Z' });
    expect(await store.db.selectFrom('checked_subjects').select('match_key').where('request_id', '=', id).execute()).toEqual([]);
    expect(await store.db.selectFrom('content_links').select('token_hash').where('request_id', '=', id).execute()).toEqual([]);
    expect((await store.read.requests.checkedSince(keys, '2026-01-01T00:00:00.000Z')).map((c) => c.requestId)).not.toContain(id);
  }

  it('clears the reasons, the doubts’ words, the repeat-check keys and the content links', async () => {
    const { request, keys } = await requestWithText();
    await store.transaction((uow) => uow.retention.dispose(request.id, '2032-06-04T09:00:00.000Z'));
    await expectNoText(request.id, keys);
  });

  it('migration 089 clears tombstones disposed of before disposal did so, and leaves other requests alone', async () => {
    const { request, keys } = await requestWithText();
    const untouched = await requestWithText();
    await sql`update investigation_requests set disposed_at = ${'2032-06-04T09:00:00.000Z'} where id = ${request.id}`.execute(store.db);
    await tombstoneFreeText.up(store.db as never);
    await expectNoText(request.id, keys);
    const kept = await store.db.selectFrom('investigation_requests').select(['doubts', 'last_reason']).where('id', '=', untouched.request.id).executeTakeFirstOrThrow();
    expect(kept).toEqual({ doubts: DOUBTS, last_reason: LAST_REASON });
  });
});
