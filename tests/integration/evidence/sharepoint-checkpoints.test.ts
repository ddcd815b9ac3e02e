/**
 * With EVIDENCE_STORE=sharepoint the audit chain's signed checkpoints are published as JSON files
 * in the evidence library's "Checkpoints" folder, through Graph (the local stand-in), and
 * `audit:verify`'s checks read them back from there.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { anchorCheckpoint, createCheckpointSigner, linkPending, readPublished, verifyAuditChain } from '../../../src/audit';
import { SharePointCheckpointStore } from '../../../src/evidence/sharepoint';
import { auditAnchorConfig, createCheckpointStore } from '../../../src/server/audit-anchor';
import { createStore, type SqlStore } from '../../../src/store';
import { startGraphServer, type GraphServer } from '../../support/graph-server';
import { auditInput } from '../../support/store-fixtures';
import { DRIVE_ID, storeFor } from './helpers';

let server: GraphServer;
let store: SqlStore;

beforeEach(async () => {
  server = await startGraphServer({ keepContent: true });
  store = await createStore({ dataDir: ':memory:' });
});

afterEach(async () => {
  await store.close();
  await server.stop();
});

function checkpointStore(): SharePointCheckpointStore {
  return new SharePointCheckpointStore({ ...storeFor(server).config });
}

test('the evidence store configuration publishes to SharePoint', async () => {
  const evidence = { kind: 'sharepoint' as const, sharepoint: storeFor(server).config, maxBytes: 1024 };
  const published = await createCheckpointStore(auditAnchorConfig({}, { dataDir: '/srv/data', production: true, evidence }));
  try {
    expect(published).toBeInstanceOf(SharePointCheckpointStore);
  } finally {
    published.close();
  }
});

test('each checkpoint becomes a new file in the Checkpoints folder, read back page by page, and verification uses them', async () => {
  const signer = createCheckpointSigner(generateKeyPairSync('ed25519').privateKey);
  const checkpoints = checkpointStore();
  try {
    expect(await readPublished(checkpoints)).toEqual([]);
    for (let i = 1; i <= 5; i += 1) await store.read.audit.append(auditInput({ action: `step-${i}` }));
    const first = await anchorCheckpoint(store.db, signer, checkpoints, new Date('2026-11-29T09:00:00Z'));
    for (let i = 6; i <= 8; i += 1) await store.read.audit.append(auditInput({ action: `step-${i}` }));
    const second = await anchorCheckpoint(store.db, signer, checkpoints, new Date('2026-11-30T09:00:00Z'));

    const files = [...server.items.values()].filter((item) => item.folder === 'Checkpoints');
    expect(files.map((f) => [f.driveId, f.name]).sort()).toEqual([
      [DRIVE_ID, 'checkpoint-000000000005-20261129T090000000Z.json'],
      [DRIVE_ID, 'checkpoint-000000000008-20261130T090000000Z.json'],
    ]);
    expect(JSON.parse(files.find((f) => f.name.includes('-000000000008-'))?.content?.toString('utf8') ?? '')).toEqual(second);

    server.childrenPageSize = 1;
    const published = await readPublished(checkpoints);
    expect(published.map((p) => p.checkpoint)).toEqual([first, second]);
    expect(await verifyAuditChain(store.db, { published, publicKeys: [signer.publicKey] })).toEqual({
      ok: true,
      checked: 8,
      unlinked: 0,
      anchors: 2,
      latestAnchor: { treeSize: 8, timestamp: '2026-11-30T09:00:00.000Z' },
    });

    // The end of the trail removed, checkpoints in the database too: SharePoint still knows.
    await sql`ALTER TABLE audit_entries DISABLE TRIGGER USER`.execute(store.db);
    await sql`ALTER TABLE audit_checkpoints DISABLE TRIGGER USER`.execute(store.db);
    await sql`DELETE FROM audit_entries WHERE seq > 6`.execute(store.db);
    await sql`DELETE FROM audit_checkpoints`.execute(store.db);
    await linkPending(store.db);
    expect(await verifyAuditChain(store.db, { published: await readPublished(checkpoints), publicKeys: [signer.publicKey] })).toMatchObject({
      ok: false,
      firstBad: { seq: 7, problem: expect.stringContaining('entries 7 to 8 are missing: the checkpoint published at 2026-11-30T09:00:00.000Z') },
    });
  } finally {
    checkpoints.close();
  }
});

test('a published checkpoint is never replaced: the same name again is refused by SharePoint', async () => {
  const checkpoints = checkpointStore();
  try {
    await checkpoints.write('checkpoint-000000000001-20261130T090000000Z.json', '{}');
    await expect(checkpoints.write('checkpoint-000000000001-20261130T090000000Z.json', '{"other":true}')).rejects.toThrow();
    expect([...server.items.values()].filter((item) => item.folder === 'Checkpoints').map((f) => f.content?.toString('utf8'))).toEqual(['{}']);
  } finally {
    checkpoints.close();
  }
});
