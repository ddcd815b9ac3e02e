import { readdirSync } from 'node:fs';
import { EVIDENCE_COLUMNS, type SharePointEvidenceStore } from '../../../src/evidence/sharepoint';
import { RANGE_UNIT, startGraphServer, type GraphServer } from '../../support/graph-server';
import { DRIVE_ID, pngBytes, putInput, readAll, sha256, storeFor } from './helpers';

let server: GraphServer;
let store: SharePointEvidenceStore;

beforeEach(async () => {
  server = await startGraphServer();
  store = storeFor(server, { retentionLabel: 'Children social care evidence' });
});

afterEach(async () => {
  store.close();
  await server.stop();
});

describe('SharePoint evidence store: the normal path', () => {
  test('a small file goes up in one PUT, with its columns and retention label, and comes back whole', async () => {
    const content = pngBytes(200_000);
    const stored = await store.put(putInput(content));

    expect(stored).toMatchObject({ status: 'stored', size: content.length, sha256: sha256(content) });
    expect(stored.storageKey).toMatch(/^sharepoint:/);
    expect(stored.webUrl).toContain('/CASE-77/SMC-2026-000042/');
    expect(server.callsTo('simple')).toHaveLength(1);
    expect(server.callsTo('createSession')).toHaveLength(0);

    const item = server.itemAt('CASE-77/SMC-2026-000042', 'evidence-0001.png');
    expect(item?.sha256).toBe(sha256(content));
    expect(item?.fields).toEqual({
      [EVIDENCE_COLUMNS.requestReference.name]: 'SMC-2026-000042',
      [EVIDENCE_COLUMNS.caseReference.name]: 'CASE-77',
      [EVIDENCE_COLUMNS.subject.name]: 'subject-1',
      [EVIDENCE_COLUMNS.sourceUrl.name]: 'https://www.facebook.com/some.profile/posts/1',
      [EVIDENCE_COLUMNS.capturedAt.name]: '2026-11-25T10:15:00.000Z',
      [EVIDENCE_COLUMNS.capturedBy.name]: 'aaw-1',
      [EVIDENCE_COLUMNS.sha256.name]: sha256(content),
      [EVIDENCE_COLUMNS.publiclyVisible.name]: true,
      [EVIDENCE_COLUMNS.retainUntil.name]: '2033-11-25T10:15:00.000Z',
    });
    expect(item?.retentionLabel).toBe('Children social care evidence');
    expect(sha256(await readAll(await store.get(stored.storageKey)))).toBe(sha256(content));
    expect(readdirSync(store.config.pendingDir)).toEqual([]);
  });

  test('a file above 4 MB goes through an upload session in 320 KiB-multiple ranges without Authorization', async () => {
    const content = pngBytes(4_000_001 + RANGE_UNIT);
    const stored = await store.put(putInput(content));

    expect(stored.status).toBe('stored');
    expect(server.callsTo('simple')).toHaveLength(0);
    expect(server.callsTo('createSession')).toHaveLength(1);
    const ranges = server.callsTo('range');
    expect(ranges.length).toBe(Math.ceil(content.length / RANGE_UNIT));
    expect(ranges.every((r) => r.authorization === undefined)).toBe(true);
    expect(ranges.at(-1)?.status).toBe(201);
    expect(server.items.get(stored.storageKey.slice('sharepoint:'.length))?.sha256).toBe(sha256(content));
    expect(sha256(await readAll(await store.get(stored.storageKey)))).toBe(sha256(content));
  });

  test('exactly 4 MB is still a simple upload; one byte more uses a session', async () => {
    await store.put(putInput(pngBytes(4_000_000)));
    expect(server.callsTo('simple')).toHaveLength(1);
    await store.put(putInput(pngBytes(4_000_001)));
    expect(server.callsTo('createSession')).toHaveLength(1);
  });

  test('a name already in the folder is not overwritten: the new file is renamed', async () => {
    server.seedItem(DRIVE_ID, 'CASE-77/SMC-2026-000042', 'evidence-0001.png', Buffer.from('first'));
    const stored = await store.put(putInput(pngBytes(1000)));
    expect(stored.webUrl).toContain('evidence-0001%201.png');
    expect(server.itemAt('CASE-77/SMC-2026-000042', 'evidence-0001.png')?.content?.toString()).toBe('first');
  });

  test('case references cannot climb out of the library folder', async () => {
    const stored = await store.put(putInput(pngBytes(1000), { caseReference: '../../etc', requestReference: 'a/b' }));
    expect(stored.status).toBe('stored');
    const item = server.items.get(stored.storageKey.slice('sharepoint:'.length));
    expect(item?.folder.split('/')).toHaveLength(2);
    expect(item?.folder).not.toContain('..');
  });

  test('the request folder is shared for reading with its social worker and team manager, keeping inherited access', async () => {
    await expect(store.grantRequestFolder('CASE-77', 'SMC-2026-000042', [{ aadObjectId: 'osw-oid' }])).rejects.toMatchObject({ code: 'not_found' });
    await store.put(putInput(pngBytes(1000)));
    await store.grantRequestFolder('CASE-77', 'SMC-2026-000042', [{ aadObjectId: 'osw-oid' }, { email: 'tm@council.example' }]);
    expect([...(server.folderPermissions.get('CASE-77/SMC-2026-000042') ?? [])].sort()).toEqual(['osw-oid:read', 'tm@council.example:read']);
  });

  test('a file name that is not server-made is refused before anything is stored', async () => {
    await expect(store.put(putInput(pngBytes(1000), { fileName: '../evil.png' }))).rejects.toMatchObject({ code: 'validation' });
    expect(server.items.size).toBe(0);
    expect(readdirSync(store.config.pendingDir)).toEqual([]);
  });
});
