import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { AppError } from '../../../src/domain/errors';
import { checkedUpload } from '../../../src/evidence/checked-upload';
import { LocalDiskEvidenceStore } from '../../../src/evidence/local-disk';
import type { SharePointEvidenceStore } from '../../../src/evidence/sharepoint';
import { startGraphServer, type GraphServer } from '../../support/graph-server';
import { pngBytes, putInput, readAll, sha256, storeFor, tempDir } from './helpers';

/** Splits content into small chunks, as a network upload arrives. */
const chunked = (buf: Buffer, size = 1000): Readable =>
  Readable.from((function* () {
    for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
  })());

const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(2000, 1)]);
const windowsExe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2000, 0x90)]);

describe('checkedUpload: type by content, size while streaming', () => {
  test('a real PNG passes whole, in order, and says what it is', async () => {
    const content = pngBytes(50_000);
    const checked = await checkedUpload(chunked(content), { maxBytes: 100_000 });
    expect(checked.type).toEqual({ contentType: 'image/png', extension: 'png' });
    expect(sha256(await readAll(checked.content))).toBe(sha256(content));
  });

  test.each([
    ['an ELF executable', elf],
    ['a Windows executable', windowsExe],
    ['an empty file', Buffer.alloc(0)],
  ])('%s is refused as unsupported_type', async (_name, content) => {
    const source = chunked(content);
    await expect(checkedUpload(source)).rejects.toMatchObject({ code: 'unsupported_type' });
    expect(source.destroyed).toBe(true);
  });

  test('a file over the limit fails with too_large while streaming', async () => {
    const checked = await checkedUpload(chunked(pngBytes(10_001)), { maxBytes: 10_000 });
    await expect(readAll(checked.content)).rejects.toMatchObject({ code: 'too_large' });
  });

  test('a file at the limit passes', async () => {
    const checked = await checkedUpload(chunked(pngBytes(10_000)), { maxBytes: 10_000 });
    expect((await readAll(checked.content)).length).toBe(10_000);
  });
});

describe('refused uploads store nothing', () => {
  let server: GraphServer;
  let store: SharePointEvidenceStore;

  beforeAll(async () => {
    server = await startGraphServer();
    store = storeFor(server);
  });

  afterAll(async () => {
    store.close();
    await server.stop();
  });

  test('over size through the SharePoint store: too_large, nothing in SharePoint, nothing pending', async () => {
    const checked = await checkedUpload(chunked(pngBytes(5_000_000), 64 * 1024), { maxBytes: 4_500_000 });
    const failure = await store.put(putInput(Buffer.alloc(0), { content: checked.content })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'too_large' });
    expect(server.items.size).toBe(0);
    expect(server.callsTo('simple').length + server.callsTo('createSession').length).toBe(0);
    expect(readdirSync(store.config.pendingDir)).toEqual([]);
  });

  test('over size through the local disk store: too_large and no file left', async () => {
    const root = tempDir('evidence-local');
    const local = new LocalDiskEvidenceStore(root);
    const checked = await checkedUpload(chunked(pngBytes(30_000)), { maxBytes: 20_000 });
    await expect(local.put(putInput(Buffer.alloc(0), { content: checked.content }))).rejects.toMatchObject({ code: 'too_large' });
    const left = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(left).toEqual([]);
  });
});
