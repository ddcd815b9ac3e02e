/**
 * Each fault Graph can throw at an upload: the evidence arrives whole (same SHA-256) or is
 * left pending on local disk, and is never lost.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UNCLAIMED_GRACE_MS, type SharePointEvidenceStore } from '../../../src/evidence/sharepoint/store';
import { RANGE_UNIT, startGraphServer, type GraphServer } from '../../support/graph-server';
import { pngBytes, putInput, readAll, sha256, storeFor } from './helpers';

let server: GraphServer;
let store: SharePointEvidenceStore;
const large = pngBytes(4_000_001 + 3 * RANGE_UNIT, 7);

beforeEach(async () => {
  server = await startGraphServer();
  store = storeFor(server);
});

afterEach(async () => {
  store.close();
  await server.stop();
});

async function expectWhole(storageKey: string, content: Buffer): Promise<void> {
  expect(storageKey).toMatch(/^sharepoint:/);
  const item = server.items.get(storageKey.slice('sharepoint:'.length));
  expect(item?.sha256).toBe(sha256(content));
  expect(sha256(await readAll(await store.get(storageKey)))).toBe(sha256(content));
  expect(readdirSync(store.config.pendingDir)).toEqual([]);
}

describe('SharePoint evidence store under faults', () => {
  test('429 with Retry-After on a range: waits as told, then completes', async () => {
    server.inject({ target: 'range', kind: 'status', status: 429, retryAfter: 1 });
    const started = Date.now();
    const stored = await store.put(putInput(large));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(stored.status).toBe('stored');
    expect(server.callsTo('range').filter((c) => c.status === 429)).toHaveLength(1);
    // It asked the session where it stood before sending again.
    expect(server.callsTo('status').length).toBeGreaterThanOrEqual(1);
    await expectWhole(stored.storageKey, large);
  });

  test('503 without Retry-After on a simple upload and on the metadata: backs off and completes', async () => {
    const small = pngBytes(50_000, 3);
    server.inject({ target: 'simple', kind: 'status', status: 503, times: 2 });
    server.inject({ target: 'fields', kind: 'status', status: 503 });
    const stored = await store.put(putInput(small));
    expect(stored.status).toBe('stored');
    expect(server.callsTo('simple').map((c) => c.status)).toEqual([503, 503, 201]);
    expect(server.items.get(stored.storageKey.slice('sharepoint:'.length))?.fields.SmcSha256).toBe(sha256(small));
    await expectWhole(stored.storageKey, small);
  });

  test('429 on createUploadSession is retried', async () => {
    server.inject({ target: 'createSession', kind: 'status', status: 429, retryAfter: 0 });
    const stored = await store.put(putInput(large));
    expect(stored.status).toBe('stored');
    expect(server.callsTo('createSession').map((c) => c.status)).toEqual([429, 200]);
    await expectWhole(stored.storageKey, large);
  });

  test('the token endpoint unavailable: pending, and delivered after a restart from the same pending directory', async () => {
    server.inject({ target: 'token', kind: 'status', status: 503, retryAfter: 1 });
    const small = pngBytes(20_000, 5);
    const pending = await store.put(putInput(small));
    expect(pending.status).toBe('upload_pending');
    expect(server.items.size).toBe(0);
    // MSAL itself refuses further token calls for a while after a 5xx; a restarted process starts afresh.
    store.close();
    store = storeFor(server, { pendingDir: store.config.pendingDir });
    const [outcome] = await store.retryPendingUploads(async () => true);
    expect(outcome?.pendingKey).toBe(pending.storageKey);
    expect(outcome?.result.status).toBe('stored');
    await expectWhole(outcome?.result.storageKey ?? '', small);
  });

  test('a connection reset in the middle of a range: resumes from nextExpectedRanges', async () => {
    // The second range (of two units each) is cut off after one unit and a bit.
    server.inject({ target: 'range', kind: 'reset', afterBytes: RANGE_UNIT + 1000, atOffset: 2 * RANGE_UNIT });
    store.close();
    store = storeFor(server, { chunkSize: 2 * RANGE_UNIT });
    const stored = await store.put(putInput(large));
    expect(stored.status).toBe('stored');
    const ranges = server.callsTo('range').map((c) => c.contentRange);
    expect(ranges.slice(0, 3)).toEqual([
      `bytes 0-${2 * RANGE_UNIT - 1}/${large.length}`,
      `bytes ${2 * RANGE_UNIT}-${4 * RANGE_UNIT - 1}/${large.length}`,
      // Graph ignores every byte of a dropped request, so the session asks for that range again whole.
      `bytes ${2 * RANGE_UNIT}-${4 * RANGE_UNIT - 1}/${large.length}`,
    ]);
    expect(server.callsTo('status').map((c) => c.status)).toEqual([200]);
    expect(server.callsTo('createSession')).toHaveLength(1);
    await expectWhole(stored.storageKey, large);
  });

  test('a lost upload session (404): starts a new session and uploads whole', async () => {
    server.inject({ target: 'range', kind: 'lose-session' });
    const stored = await store.put(putInput(large));
    expect(stored.status).toBe('stored');
    expect(server.callsTo('createSession')).toHaveLength(2);
    await expectWhole(stored.storageKey, large);
  });

  test('throttled past the bound: kept pending on disk, readable, and delivered by the retry job', async () => {
    server.inject({ target: 'range', kind: 'status', status: 503, times: 50 });
    const pending = await store.put(putInput(large));
    expect(pending).toMatchObject({ status: 'upload_pending', sha256: sha256(large), size: large.length, webUrl: null });
    expect(pending.storageKey).toMatch(/^pending:/);
    const key = pending.storageKey.slice('pending:'.length);
    expect(existsSync(path.join(store.config.pendingDir, `${key}.held`))).toBe(true);
    expect(sha256(await readAll(await store.get(pending.storageKey)))).toBe(sha256(large));
    expect(server.items.size).toBe(0);

    server.clearFaults();
    const recorded: [string, string][] = [];
    const outcomes = await store.retryPendingUploads(async (pendingKey, stored) => {
      recorded.push([pendingKey, stored.storageKey]);
      return true;
    });
    expect(recorded).toEqual([[pending.storageKey, outcomes[0]?.result.storageKey]]);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.pendingKey).toBe(pending.storageKey);
    expect(outcomes[0]?.result.status).toBe('stored');
    await expectWhole(outcomes[0]?.result.storageKey ?? '', large);
  });

  test('if recording the new storage key fails, the local copy stays and the next run records it', async () => {
    server.inject({ target: 'simple', kind: 'status', status: 503, times: 4 });
    const small = pngBytes(2000, 4);
    const pending = await store.put(putInput(small));
    expect(pending.status).toBe('upload_pending');
    const [failed] = await store.retryPendingUploads(async () => {
      throw new Error('database unavailable');
    });
    expect(failed?.result.status).toBe('upload_pending');
    expect(failed?.lastError).toBe('database unavailable');
    expect(sha256(await readAll(await store.get(pending.storageKey)))).toBe(sha256(small));
    const recorded: string[] = [];
    const [outcome] = await store.retryPendingUploads(async (key) => {
      recorded.push(key);
      return true;
    });
    expect(recorded).toEqual([pending.storageKey]);
    expect(outcome?.result.status).toBe('stored');
    // Uploaded once: the second run only set the columns again and recorded the key.
    expect(server.callsTo('simple').filter((c) => c.status === 201)).toHaveLength(1);
    await expectWhole(outcome?.result.storageKey ?? '', small);
  });

  test('a Retry-After longer than the policy allows is not waited for: pending at once', async () => {
    server.inject({ target: 'simple', kind: 'status', status: 429, retryAfter: 3600 });
    const started = Date.now();
    const pending = await store.put(putInput(pngBytes(1000)));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(pending.status).toBe('upload_pending');
    expect(await store.pendingUploads(50)).toHaveLength(1);
  });

  test('uploaded but the metadata failed: the retry only sets the metadata, never uploads twice', async () => {
    server.inject({ target: 'fields', kind: 'status', status: 503, times: 4 });
    const pending = await store.put(putInput(pngBytes(1000)));
    expect(pending.status).toBe('upload_pending');
    expect(server.items.size).toBe(1);
    const outcomes = await store.retryPendingUploads(async () => true);
    expect(outcomes[0]?.result.status).toBe('stored');
    expect(server.items.size).toBe(1);
    expect(server.callsTo('simple')).toHaveLength(1);
    expect([...server.items.values()][0]?.fields.SmcCaseReference).toBe('CASE-77');
  });

  test('the answer to the last range is lost: the item is found, not uploaded a second time', async () => {
    server.inject({ target: 'range', kind: 'lose-answer' });
    const stored = await store.put(putInput(large));
    expect(stored.status).toBe('stored');
    expect(server.items.size).toBe(1);
    expect(server.callsTo('createSession')).toHaveLength(1);
    // The one copy got its columns.
    expect([...server.items.values()][0]?.fields.SmcSha256).toBe(sha256(large));
    await expectWhole(stored.storageKey, large);
  });

  test('the answer to a simple upload is lost: the item is found, not uploaded a second time', async () => {
    const small = pngBytes(30_000, 9);
    server.inject({ target: 'simple', kind: 'lose-answer' });
    const stored = await store.put(putInput(small));
    expect(stored.status).toBe('stored');
    expect(server.items.size).toBe(1);
    expect(server.callsTo('simple')).toHaveLength(1);
    await expectWhole(stored.storageKey, small);
  });

  test('a Retry-After longer than the policy allows is honoured by the retry job too', async () => {
    server.inject({ target: 'simple', kind: 'status', status: 429, retryAfter: 600 });
    const pending = await store.put(putInput(pngBytes(1000)));
    expect(pending.status).toBe('upload_pending');
    const [waiting] = await store.pendingUploads(50);
    expect(Date.parse(waiting?.notBefore ?? '') - Date.now()).toBeGreaterThan(590_000);
    // Within the 600 s SharePoint asked for, the job leaves it alone.
    expect(await store.retryPendingUploads(async () => true, new Date(Date.now() + 54_000))).toEqual([]);
    expect(server.callsTo('simple')).toHaveLength(1);
    const [outcome] = await store.retryPendingUploads(async () => true, new Date(Date.now() + 601_000));
    expect(outcome?.result.status).toBe('stored');
  });

  test('a permanent refusal marks the item failed: not retried by itself, retried when an administrator asks', async () => {
    server.inject({ target: 'simple', kind: 'status', status: 400 });
    const small = pngBytes(1500, 2);
    const pending = await store.put(putInput(small));
    expect(pending.status).toBe('upload_pending');
    expect(await store.pendingUploads(50)).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, lastError: 'Injected fault.' })]);
    // Only one try: a 400 is not retried within the call either.
    expect(server.callsTo('simple')).toHaveLength(1);
    expect(await store.retryPendingUploads(async () => true, new Date(Date.now() + 3_600_000))).toEqual([]);
    expect(await store.releasePendingUpload(pending.storageKey)).toBe(true);
    const [outcome] = await store.retryPendingUploads(async () => true);
    expect(outcome).toMatchObject({ pendingKey: pending.storageKey, failed: false, result: { status: 'stored' } });
    await expectWhole(outcome?.result.storageKey ?? '', small);
  });

  test('a case reference ending in a period gets a folder name SharePoint accepts', async () => {
    const stored = await store.put(putInput(pngBytes(800), { caseReference: 'CASE-78.' }));
    expect(stored.status).toBe('stored');
    expect(server.items.get(stored.storageKey.slice('sharepoint:'.length))?.folder).toBe('CASE-78/SMC-2026-000042');
  });

  test.each([
    ['CON', 'CON_'],
    ['nul', 'nul_'],
    ['COM1', 'COM1_'],
    ['lpt9', 'lpt9_'],
    ['desktop.ini', 'desktop_.ini'],
    ['Forms', 'Forms_'],
    ['A_vti_B', 'A-vti-B'],
  ])('a case reference SharePoint does not allow as a name (%s) gets a folder it accepts', async (caseReference, folder) => {
    const stored = await store.put(putInput(pngBytes(800), { caseReference }));
    expect(stored.status).toBe('stored');
    expect(server.items.get(stored.storageKey.slice('sharepoint:'.length))?.folder).toBe(`${folder}/SMC-2026-000042`);
  });

  test('every Graph call names the app in User-Agent, as SharePoint asks', async () => {
    await store.put(putInput(large));
    const graphCalls = server.calls.filter((c) => c.target !== 'token' && c.target !== 'discovery');
    expect(graphCalls.length).toBeGreaterThan(3);
    for (const call of graphCalls) expect(call.userAgent).toMatch(/^ISV\|SocialMediaChecks\|SocialMediaChecks\/\d+\.\d+\.\d+$/);
  });
  describe('the service fails after storing the last bytes (a 5xx Graph says to retry)', () => {
    const onlyCopy = () => {
      expect(server.items.size).toBe(1);
      const [item] = [...server.items.values()];
      // The copy the database points at is the one with the columns; no second, bare copy beside it.
      expect(item?.name).not.toMatch(/ 1\.png$/);
      expect(item?.fields.SmcCaseReference).toBe('CASE-77');
    };

    test.each([500, 502, 503, 504])('on the final range (%i): the item is found, not uploaded a second time', async (status) => {
      server.inject({ target: 'range', kind: 'commit-then-status', status });
      const stored = await store.put(putInput(large));
      expect(stored.status).toBe('stored');
      expect(server.callsTo('createSession')).toHaveLength(1);
      onlyCopy();
      await expectWhole(stored.storageKey, large);
    });

    test.each([500, 502, 503, 504])('on a simple upload (%i): the item is found, not uploaded a second time', async (status) => {
      server.inject({ target: 'simple', kind: 'commit-then-status', status });
      const small = pngBytes(50_000, 9);
      const stored = await store.put(putInput(small));
      expect(stored.status).toBe('stored');
      expect(server.callsTo('simple')).toHaveLength(1);
      onlyCopy();
      await expectWhole(stored.storageKey, small);
    });

    test('the answer to the final range lost and the session unreachable: the retry job finds the item rather than sending a second copy', async () => {
      server.inject({ target: 'range', kind: 'lose-answer' });
      server.inject({ target: 'status', kind: 'status', status: 503, times: 50 });
      const pending = await store.put(putInput(large));
      expect(pending.status).toBe('upload_pending');
      expect(server.items.size).toBe(1);
      server.clearFaults();
      const [outcome] = await store.retryPendingUploads(async () => true);
      expect(outcome?.result.status).toBe('stored');
      expect(server.callsTo('createSession')).toHaveLength(1);
      onlyCopy();
      await expectWhole(outcome?.result.storageKey ?? '', large);
    });
  });

  describe('an upload nothing points at any more', () => {
    test('a retry whose item has no row yet keeps it; past the grace, its copy is deleted from SharePoint and the queue', async () => {
      server.inject({ target: 'simple', kind: 'status', status: 503, times: 4 });
      const pending = await store.put(putInput(pngBytes(1200, 6)));
      expect(pending.status).toBe('upload_pending');
      // The use case that put it may still be committing its row: kept, and tried again.
      const [young] = await store.retryPendingUploads(async () => false);
      expect(young).toMatchObject({ pendingKey: pending.storageKey, discarded: false, lastError: 'Nothing points at this upload yet; it is tried again later.' });
      expect(server.items.size).toBe(1);
      expect(await store.pendingUploads(50)).toHaveLength(1);

      // A quarter of an hour on, no row ever came (the process died before its commit).
      const [old] = await store.retryPendingUploads(async () => false, new Date(Date.now() + UNCLAIMED_GRACE_MS + 1_000));
      expect(old).toMatchObject({ pendingKey: pending.storageKey, discarded: true, failed: false });
      expect(server.items.size).toBe(0);
      expect(server.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/permanentDelete')).map((c) => c.status)).toEqual([204]);
      expect(await store.pendingUploads(50)).toEqual([]);
      // Uploaded once: the second try did not send the bytes again.
      expect(server.callsTo('simple').filter((c) => c.status === 201)).toHaveLength(1);
    });

    test('its time in the queue starts when it is queued, not when its first try began (that try may take many minutes)', async () => {
      server.inject({ target: 'simple', kind: 'status', status: 503, retryAfter: 1, times: 4 });
      const started = Date.now();
      const pending = await store.put(putInput(pngBytes(1100, 9)));
      expect(pending.status).toBe('upload_pending');
      const [queued] = await store.pendingUploads(50);
      // Three waits of a second each before the item was handed to the queue.
      expect(Date.parse(queued?.createdAt ?? '') - started).toBeGreaterThanOrEqual(2_500);
    });

    test('removed (its request disposed of) while a retry was uploading it: the retry deletes the copy it made', async () => {
      server.inject({ target: 'simple', kind: 'status', status: 503, times: 4 });
      const pending = await store.put(putInput(pngBytes(1300, 7)));
      const [outcome] = await store.retryPendingUploads(async (pendingKey) => {
        // The disposal's removal lands between the upload and the retry recording it.
        await store.remove(pendingKey);
        return false;
      });
      expect(outcome).toMatchObject({ pendingKey: pending.storageKey, discarded: true });
      expect(server.items.size).toBe(0);
      expect(await store.pendingUploads(50)).toEqual([]);
    });

    test('removing a pending item that SharePoint already holds (its metadata failed) deletes that copy too', async () => {
      server.inject({ target: 'fields', kind: 'status', status: 503, times: 4 });
      const pending = await store.put(putInput(pngBytes(1000, 8)));
      expect(pending.status).toBe('upload_pending');
      expect(server.items.size).toBe(1);
      await store.remove(pending.storageKey);
      expect(server.items.size).toBe(0);
      expect(await store.pendingUploads(50)).toEqual([]);
    });
  });
});
