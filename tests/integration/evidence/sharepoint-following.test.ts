/**
 * Uploads that follow the spool (the size was declared): the session starts at once, ranges go as
 * the bytes reach disk, and a file of another size is refused with nothing kept.
 */
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { checkedUpload } from '../../../src/evidence/checked-upload';
import type { SharePointEvidenceStore } from '../../../src/evidence/sharepoint';
import { RANGE_UNIT, startGraphServer, type GraphServer } from '../../support/graph-server';
import { pngBytes, putInput, readAll, sha256, storeFor } from './helpers';

let server: GraphServer;
let store: SharePointEvidenceStore;
const content = pngBytes(4_000_001 + 5 * RANGE_UNIT, 11);

/** Hands out the content slowly, so the upload really runs while the spool is still writing. */
function trickle(buf: Buffer, size = 256 * 1024): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < buf.length; i += size) {
        await new Promise((resolve) => setImmediate(resolve));
        yield buf.subarray(i, i + size);
      }
    })(),
  );
}

beforeEach(async () => {
  server = await startGraphServer();
  store = storeFor(server);
});

afterEach(async () => {
  store.close();
  await server.stop();
});

test('the declared size lets ranges follow the spool; the file arrives whole with its columns', async () => {
  const stored = await store.put(putInput(Buffer.alloc(0), { content: trickle(content) }), { expectedSize: content.length });
  expect(stored).toMatchObject({ status: 'stored', size: content.length, sha256: sha256(content) });
  expect(server.callsTo('range').every((c) => c.authorization === undefined && c.contentRange?.endsWith(`/${content.length}`))).toBe(true);
  const item = server.items.get(stored.storageKey.slice('sharepoint:'.length));
  expect(item?.sha256).toBe(sha256(content));
  expect(item?.fields.SmcSha256).toBe(sha256(content));
  expect(sha256(await readAll(await store.get(stored.storageKey)))).toBe(sha256(content));
  expect(readdirSync(store.config.pendingDir)).toEqual([]);
});

test.each([
  ['smaller', content.length + RANGE_UNIT],
  ['larger', content.length - RANGE_UNIT],
])('a file %s than declared is refused, the session cancelled, nothing kept', async (_what, declared) => {
  await expect(store.put(putInput(Buffer.alloc(0), { content: trickle(content) }), { expectedSize: declared })).rejects.toMatchObject({ code: 'validation' });
  expect(server.items.size).toBe(0);
  expect(server.calls.some((c) => c.method === 'DELETE' && c.target === 'status')).toBe(true);
  expect(readdirSync(store.config.pendingDir)).toEqual([]);
});

test('over the upload limit while following: too_large and nothing kept', async () => {
  const checked = await checkedUpload(trickle(content), { maxBytes: content.length - 1 });
  await expect(store.put(putInput(Buffer.alloc(0), { content: checked.content }), { expectedSize: content.length })).rejects.toMatchObject({ code: 'too_large' });
  expect(server.items.size).toBe(0);
  expect(readdirSync(store.config.pendingDir)).toEqual([]);
});

test('throttled past the bound while following: pending on disk, then delivered by the retry job', async () => {
  server.inject({ target: 'range', kind: 'status', status: 503, times: 4 });
  const pending = await store.put(putInput(Buffer.alloc(0), { content: trickle(content) }), { expectedSize: content.length });
  expect(pending).toMatchObject({ status: 'upload_pending', sha256: sha256(content) });
  expect(sha256(await readAll(await store.get(pending.storageKey)))).toBe(sha256(content));
  const [outcome] = await store.retryPendingUploads(async () => true);
  expect(outcome?.result.status).toBe('stored');
  expect(server.items.get(outcome?.result.storageKey.slice('sharepoint:'.length) ?? '')?.sha256).toBe(sha256(content));
});

test('a declared size that is not a positive whole number is refused before anything is written', async () => {
  await expect(store.put(putInput(content), { expectedSize: -1 })).rejects.toMatchObject({ code: 'validation' });
  expect(server.calls.filter((c) => c.target === 'createSession')).toHaveLength(0);
});
