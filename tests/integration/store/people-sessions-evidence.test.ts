/** People (directory and administration), search sessions and evidence items, on both backends. */
import { randomUUID } from 'node:crypto';
import type { SqlStore } from '../../../src/store';
import { BACKENDS, openFreshStore } from '../../support/databases';
import { fullEvidence, fullPerson, fullRequest, fullSession } from '../../support/store-fixtures';

describe.each(BACKENDS)('people, search sessions and evidence on %s', (backend) => {
  let store: SqlStore;
  beforeAll(async () => {
    store = await openFreshStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('upserts people and finds them by id, Entra object id and role', async () => {
    const ann = fullPerson('ann', { displayName: 'Ann Access', roles: ['access_worker'] });
    const bob = fullPerson('bob', {
      displayName: 'Bob Manager',
      roles: ['team_manager', 'service_manager'],
      email: null,
      managerId: null,
      team: null,
      accessWorkerTrainedOn: null,
      accessWorkerAuthorisedUntil: null,
    });
    const gone = fullPerson('gone', { displayName: 'Cath Left', roles: ['access_worker'], active: false });
    for (const p of [ann, bob, gone]) await store.people.upsert(p);

    expect(await store.read.directory.get('ann')).toEqual(ann);
    expect(await store.read.directory.get('bob')).toEqual(bob);
    expect(await store.read.directory.byAadObjectId('aad-gone')).toEqual(gone);
    expect(await store.read.directory.get('nobody')).toBeNull();
    expect(await store.read.directory.byAadObjectId('aad-nobody')).toBeNull();
    expect((await store.read.directory.withRole('access_worker')).map((p) => p.id)).toEqual(['ann']);
    expect((await store.read.directory.withRole('service_manager')).map((p) => p.id)).toEqual(['bob']);
    expect((await store.read.directory.all()).map((p) => p.id)).toEqual(['ann', 'bob', 'gone']);

    const promoted = { ...ann, roles: ['access_worker', 'administrator'] as const, accessWorkerAuthorisedUntil: '2028-01-31', active: false };
    await store.people.upsert({ ...promoted, roles: [...promoted.roles] });
    expect(await store.read.directory.get('ann')).toEqual({ ...promoted, roles: ['access_worker', 'administrator'] });
    expect(await store.read.directory.withRole('access_worker')).toEqual([]);
  });

  it('refuses a second person with the same Entra object id', async () => {
    await store.people.upsert(fullPerson('dup-1', { aadObjectId: 'aad-shared' }));
    await expect(store.people.upsert(fullPerson('dup-2', { aadObjectId: 'aad-shared' }))).rejects.toThrow(/duplicate key|unique/i);
    expect(await store.read.directory.get('dup-2')).toBeNull();
  });

  it('writes the same new person from many connections at once without a conflict', async () => {
    // Two instances starting together seed the same people; before, the loser of the race broke the
    // Entra object id's unique key instead of updating the row.
    for (let round = 0; round < 20; round += 1) {
      const person = fullPerson(`racer-${round}`, { aadObjectId: `aad-racer-${round}` });
      await Promise.all(Array.from({ length: 4 }, () => store.people.upsert(person)));
      expect(await store.read.directory.get(person.id)).toEqual(person);
    }
  });

  it('records, ends and lists search sessions', async () => {
    const request = fullRequest();
    await store.read.requests.insert(request);
    const open = fullSession(request.id, { startedAt: '2026-11-06T10:00:00.000Z', endedAt: null, durationSeconds: null });
    const done = fullSession(request.id);
    await store.transaction(async (uow) => {
      await uow.searchSessions.insert(open);
      await uow.searchSessions.insert(done);
    });
    expect(await store.read.searchSessions.get(open.id)).toEqual(open);
    expect(await store.read.searchSessions.get(done.id)).toEqual(done);
    expect(await store.read.searchSessions.get(randomUUID())).toBeNull();

    await store.read.searchSessions.end(open.id, '2026-11-06T10:20:05.000Z', 1205);
    const ended = { ...open, endedAt: '2026-11-06T10:20:05.000Z', durationSeconds: 1205 };
    expect(await store.read.searchSessions.get(open.id)).toEqual(ended);
    expect(await store.read.searchSessions.listForRequest(request.id)).toEqual([done, ended]);
    expect(await store.read.searchSessions.listForRequest(randomUUID())).toEqual([]);
  });

  it('records evidence items with every field, corrections and upload status', async () => {
    const request = fullRequest();
    const other = fullRequest();
    await store.read.requests.insert(request);
    await store.read.requests.insert(other);
    const original = fullEvidence(request.id);
    const correction = fullEvidence(request.id, {
      fileName: 'screenshot-2.pdf',
      contentType: 'application/pdf',
      size: 1234,
      webUrl: null,
      correctsEvidenceId: original.id,
      correctionReason: 'Wrong subject on the first upload',
      uploadStatus: 'upload_pending',
      createdAt: '2026-11-05T09:00:00.000Z',
    });
    const elsewhere = fullEvidence(other.id, { createdAt: '2026-11-07T09:00:00.000Z' });
    for (const item of [original, correction, elsewhere]) await store.read.evidence.insert(item);

    expect(await store.read.evidence.get(original.id)).toEqual(original);
    expect(await store.read.evidence.get(correction.id)).toEqual(correction);
    expect((await store.read.evidence.get(original.id))?.size).toBe(5_000_000_123);
    expect(await store.read.evidence.get(randomUUID())).toBeNull();
    expect(await store.read.evidence.listForRequest(request.id)).toEqual([original, correction]);
    expect((await store.read.evidence.listAll()).filter((e) => [original.id, correction.id, elsewhere.id].includes(e.id))).toEqual([
      original,
      correction,
      elsewhere,
    ]);

    await store.read.evidence.setUploadStatus(correction.id, 'stored', 'sharepoint:item-42', 'https://council.sharepoint.com/x.pdf');
    expect(await store.read.evidence.get(correction.id)).toEqual({
      ...correction,
      uploadStatus: 'stored',
      storageKey: 'sharepoint:item-42',
      webUrl: 'https://council.sharepoint.com/x.pdf',
    });
  });
});
