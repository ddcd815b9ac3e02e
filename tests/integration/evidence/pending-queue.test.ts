/**
 * Evidence waiting for SharePoint is held in the database, so any instance can retry it: an item
 * one instance left is delivered by another, exactly once, with the same bytes.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DirectoryPendingQueue, type PendingRecord, type SharePointEvidenceStore } from '../../../src/evidence/sharepoint';
import { createPendingEvidenceQueue, type SqlStore } from '../../../src/store';
import { STORE_BACKENDS } from '../../support/databases';
import { startGraphServer, type GraphServer } from '../../support/graph-server';
import { pngBytes, putInput, readAll, sha256, storeFor, tempDir } from './helpers';

describe.each(STORE_BACKENDS)('pending evidence in the database (%s)', (_name, open) => {
  let server: GraphServer;
  let database: SqlStore;
  let instances: SharePointEvidenceStore[];

  beforeEach(async () => {
    server = await startGraphServer();
    database = await open();
    // Two instances: one database, each with its own disk.
    instances = [0, 1].map(() => storeFor(server, { pendingDir: tempDir('instance-spool') }, { pendingQueue: createPendingEvidenceQueue(database.db) }));
  });

  afterEach(async () => {
    for (const instance of instances) instance.close();
    await database.close();
    await server.stop();
  });

  test('left pending by one instance, readable from the other and delivered by it once', async () => {
    const [first, second] = instances as [SharePointEvidenceStore, SharePointEvidenceStore];
    const content = pngBytes(1_500_123, 11);
    server.inject({ target: 'simple', kind: 'status', status: 503, times: 4 });
    const pending = await first.put(putInput(content));
    expect(pending.status).toBe('upload_pending');
    expect(sha256(await readAll(await second.get(pending.storageKey)))).toBe(sha256(content));

    // Both instances' retry jobs run at the same moment: the item is claimed by one of them.
    const recorded: string[] = [];
    const outcomes = (await Promise.all(instances.map((i) => i.retryPendingUploads(async (key) => recorded.push(key) > 0)))).flat();
    expect(outcomes).toHaveLength(1);
    expect(recorded).toEqual([pending.storageKey]);
    expect(server.callsTo('simple').filter((c) => c.status === 201)).toHaveLength(1);
    const item = server.items.get(outcomes[0]?.result.storageKey.slice('sharepoint:'.length) ?? '');
    expect(item?.sha256).toBe(sha256(content));
    expect(await first.pendingUploads(50)).toEqual([]);
  });

  test('a failed item is listed with its error and waits for an administrator', async () => {
    const [first, second] = instances as [SharePointEvidenceStore, SharePointEvidenceStore];
    server.inject({ target: 'simple', kind: 'status', status: 403 });
    const pending = await first.put(putInput(pngBytes(2_000, 3)));
    expect(await second.pendingUploads(50)).toEqual([expect.objectContaining({ key: pending.storageKey.slice('pending:'.length), status: 'failed', attempts: 1 })]);
    expect(await second.retryPendingUploads(async () => true)).toEqual([]);
    expect(await second.releasePendingUpload(pending.storageKey)).toBe(true);
    const [outcome] = await second.retryPendingUploads(async () => true);
    expect(outcome?.result.status).toBe('stored');
  });

  test("an administrator's retry does not end a claim another instance is uploading under", async () => {
    const queue = createPendingEvidenceQueue(database.db);
    const [first] = instances as [SharePointEvidenceStore, SharePointEvidenceStore];
    server.inject({ target: 'simple', kind: 'status', status: 403 });
    const pending = await first.put(putInput(pngBytes(2_000, 5)));
    const key = pending.storageKey.slice('pending:'.length);
    const now = new Date(Date.now() + 1000);
    expect(await queue.release(key, now)).toBe(true);
    // One instance claims it and is uploading; the retry asked of the other instance comes now.
    expect((await queue.claimDue(now, 10, 60_000)).map((r) => r.key)).toEqual([key]);
    expect(await queue.release(key, now)).toBe(true);
    expect(await queue.claimDue(now, 10, 60_000)).toEqual([]);
    // The upload fails: its outcome ends the claim, and a retry then makes it due again.
    const claimed = await queue.load(key);
    if (!claimed) throw new Error('the item is gone');
    await queue.update({ ...claimed, status: 'failed', attempts: claimed.attempts + 1 });
    expect(await queue.release(key, now)).toBe(true);
    expect((await queue.claimDue(now, 10, 60_000)).map((r) => r.key)).toEqual([key]);
  });

  test('the administrators\' list holds the oldest items up to its limit, read no further', async () => {
    const [first] = instances as [SharePointEvidenceStore, SharePointEvidenceStore];
    server.inject({ target: 'simple', kind: 'status', status: 403, times: 3 });
    const keys: string[] = [];
    for (let i = 0; i < 3; i += 1) keys.push((await first.put(putInput(pngBytes(1_000, 20 + i)))).storageKey.slice('pending:'.length));
    expect((await first.pendingUploads(2)).map((r) => r.key)).toEqual(keys.slice(0, 2));
    expect((await first.pendingUploads(50)).map((r) => r.key)).toEqual(keys);
  });
});

describe('pending evidence in a directory (one process, no database)', () => {
  const record = (key: string): PendingRecord => ({
    key,
    requestId: 'request-1',
    requestReference: 'SMC-2026-0001',
    caseReference: 'CM-1001',
    drivePath: 'CM-1001/SMC-2026-0001/capture.png',
    contentType: 'image/png',
    metadata: null,
    size: 4,
    sha256: 'a'.repeat(64),
    createdAt: '2026-11-30T10:00:00.000Z',
    driveItemId: null,
    webUrl: null,
    attempts: 1,
    lastError: 'Service Unavailable',
    status: 'pending',
    notBefore: '2026-11-30T10:00:00.000Z',
  });

  test('an unreadable record is skipped and reported by its key; a missing one is simply absent', async () => {
    const dir = tempDir('pending-dir');
    const unreadable: { key: string; error: unknown }[] = [];
    const queue = new DirectoryPendingQueue(dir, (key, error) => unreadable.push({ key, error }));
    const good = randomUUID();
    const torn = randomUUID();
    const content = path.join(tempDir('pending-src'), 'capture.png');
    await writeFile(content, Buffer.from([1, 2, 3, 4]));
    await queue.hold(record(good), content);
    await writeFile(path.join(dir, `${torn}.json`), '{"key": "half a rec');

    expect((await queue.list(50)).map((r) => r.key)).toEqual([good]);
    expect(unreadable).toEqual([{ key: torn, error: expect.any(SyntaxError) }]);
    expect(await queue.load(randomUUID())).toBeNull();
    expect(unreadable).toHaveLength(1);
  });

  test('without a listener the skipped record is written to standard error', async () => {
    const dir = tempDir('pending-dir');
    const torn = randomUUID();
    await writeFile(path.join(dir, `${torn}.json`), 'not json');
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      expect(await new DirectoryPendingQueue(dir).list(50)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^Pending evidence record ${torn} is unreadable and was skipped: `))]);
  });
});
