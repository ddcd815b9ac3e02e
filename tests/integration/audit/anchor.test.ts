/**
 * Anchoring at least daily: the server asks hourly, and a checkpoint is published when the chain
 * has grown and the last published one is a day old — and the local signing key is made once and
 * kept beside the database, never in it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { anchorIfDue, createCheckpointSigner, folderCheckpointStore, keyIdOf, loadSigningKey, loadVerifyKeys, readPublished, type CheckpointSigner } from '../../../src/audit';
import { verifyAuditChain } from '../../../src/audit/verify';
import type { SqlStore } from '../../../src/store';
import { STORE_BACKENDS } from '../../support/databases';
import { auditInput } from '../../support/store-fixtures';

describe.each(STORE_BACKENDS)('anchoring on %s', (_backend, open) => {
  let store: SqlStore;
  let dir: string;
  beforeAll(async () => {
    store = await open();
    dir = mkdtempSync(path.join(tmpdir(), 'smc-anchor-'));
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes when a day has passed and the chain has grown, and not otherwise', async () => {
    const key = await loadSigningKey({ dataDir: dir }, true);
    if (!key) throw new Error('No key was made.');
    const signer = createCheckpointSigner(key);
    const checkpoints = folderCheckpointStore(path.join(dir, 'checkpoints'));
    const day1 = new Date('2026-11-01T09:00:00Z');
    const hours = (n: number) => new Date(day1.getTime() + n * 3600_000);

    expect(await anchorIfDue(store.db, signer, checkpoints, day1)).toBeNull(); // nothing to anchor yet
    await store.read.audit.append(auditInput({ action: 'first' }));
    expect(await anchorIfDue(store.db, signer, checkpoints, day1)).toMatchObject({ treeSize: 1, timestamp: day1.toISOString() });
    await store.read.audit.append(auditInput({ action: 'second' }));
    expect(await anchorIfDue(store.db, signer, checkpoints, hours(23))).toBeNull(); // less than a day since the last
    expect(await anchorIfDue(store.db, signer, checkpoints, hours(24))).toMatchObject({ treeSize: 2 });
    expect(await anchorIfDue(store.db, signer, checkpoints, hours(49))).toBeNull(); // a day on, but nothing new
    expect((await readPublished(checkpoints)).map((p) => p.checkpoint?.treeSize)).toEqual([1, 2]);

    // The key is a file of its own in the data folder, readable by its owner only, and the same next time.
    const file = path.join(dir, 'audit-signing-key.pem');
    expect(readdirSync(dir).sort()).toEqual(['audit-signing-key.pem', 'checkpoints']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadSigningKey({ dataDir: dir }, true);
    expect(again && createCheckpointSigner(again).keyId).toBe(signer.keyId);
    expect((await loadVerifyKeys({ dataDir: dir })).map(keyIdOf)).toEqual([signer.keyId]);
    expect(await loadSigningKey({ dataDir: path.join(dir, 'elsewhere') }, false)).toBeNull();
  });

  it('anchoring links what waits with the signing key: the checkpoints it writes on the way verify with the public key', async () => {
    const chain = await open();
    const signer = createCheckpointSigner(generateKeyPairSync('ed25519').privateKey);
    // 150 entries wait for the sequencer: linking them passes seq 100, so a checkpoint is written on the way.
    for (let i = 0; i < 150; i += 1) await chain.read.audit.append(auditInput({ action: `step-${i}` }));
    expect(await anchorIfDue(chain.db, signer, folderCheckpointStore(path.join(dir, 'pending')), new Date('2026-12-01T09:00:00Z'))).toMatchObject({ treeSize: 150 });
    const written = await chain.db.selectFrom('audit_checkpoints').select(['seq', 'key_id']).orderBy('seq').execute();
    expect(written).toEqual([{ seq: 150, key_id: signer.keyId }]);
    expect(await verifyAuditChain(chain.db, { published: await readPublished(folderCheckpointStore(path.join(dir, 'pending'))), publicKeys: [signer.publicKey] })).toMatchObject({ ok: true, checked: 150, anchors: 1 });
    await chain.close();
  });

  it('a checkpoint published by a clock running a year fast does not stop anchoring, and a file whose name disagrees with its content counts for nothing', async () => {
    const chain = await open();
    const signer = createCheckpointSigner(generateKeyPairSync('ed25519').privateKey);
    const checkpoints = folderCheckpointStore(path.join(dir, 'skewed'));
    await chain.read.audit.append(auditInput({ action: 'first' }));
    expect(await anchorIfDue(chain.db, signer, checkpoints, new Date('2027-12-01T09:00:00Z'))).toMatchObject({ treeSize: 1 });
    await chain.read.audit.append(auditInput({ action: 'second' }));
    // Three days on by the right clock: before, the file dated 2027 was "less than a day old" until then.
    expect(await anchorIfDue(chain.db, signer, checkpoints, new Date('2026-12-04T09:00:00Z'))).toMatchObject({ treeSize: 2 });

    // A genuine checkpoint copied under another size's name.
    const [first] = readdirSync(path.join(dir, 'skewed')).sort();
    if (!first) throw new Error('nothing was published');
    copyFileSync(path.join(dir, 'skewed', first), path.join(dir, 'skewed', first.replace('000000000001', '000000000999')));
    const published = await readPublished(checkpoints);
    expect(published.find((p) => p.name.includes('000000000999'))?.checkpoint).toBeNull();
    expect(await verifyAuditChain(chain.db, { published, publicKeys: [signer.publicKey] })).toMatchObject({
      ok: false,
      firstBad: { problem: expect.stringMatching(/^the published checkpoint checkpoint-000000000999-.*\.json cannot be read: it was damaged or replaced$/) },
    });
    await chain.close();
  });

  it('after the signing key is rotated, AUDIT_PUBLIC_KEY holding the old and new public keys verifies every checkpoint', async () => {
    // A chain of its own: the database keeps the checkpoints it was anchored with, and these are signed by two keys only.
    const chain = await open();
    const [before, after] = [0, 1].map(() => createCheckpointSigner(generateKeyPairSync('ed25519').privateKey)) as [CheckpointSigner, CheckpointSigner];
    const checkpoints = folderCheckpointStore(path.join(dir, 'rotated'));
    await chain.read.audit.append(auditInput({ action: 'before the rotation' }));
    expect(await anchorIfDue(chain.db, before, checkpoints, new Date('2026-12-01T09:00:00Z'))).not.toBeNull();
    await chain.read.audit.append(auditInput({ action: 'after the rotation' }));
    expect(await anchorIfDue(chain.db, after, checkpoints, new Date('2026-12-02T09:00:00Z'))).not.toBeNull();
    const published = await readPublished(checkpoints);
    const pem = (signer: CheckpointSigner) => signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();

    const both = await loadVerifyKeys({ publicKey: pem(before) + pem(after) });
    expect(both.map(keyIdOf)).toEqual([before.keyId, after.keyId]);
    expect(await verifyAuditChain(chain.db, { published, publicKeys: both })).toMatchObject({ ok: true, anchors: 2 });
    // With the new key alone, the checkpoint signed before the rotation is not trusted.
    expect((await verifyAuditChain(chain.db, { published, publicKeys: await loadVerifyKeys({ publicKey: pem(after) }) })).ok).toBe(false);
    await chain.close();
  });
});
