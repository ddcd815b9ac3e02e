import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EvidenceItem } from '../../../src/app/ports';
import { createEvidenceStore } from '../../../src/evidence';
import { reportEvidenceIntegrity, verifyEvidence } from '../../../src/evidence/verify';
import { createStore } from '../../../src/store';
import { startGraphServer } from '../../support/graph-server';
import { evidence, request } from './fixtures';
import { pngBytes, putInput, storeFor, tempDir } from './helpers';

function itemFor(id: string, stored: { storageKey: string; sha256: string; size: number }): EvidenceItem {
  const [base] = evidence;
  if (!base) throw new Error('fixture missing');
  return { ...base, id, storageKey: stored.storageKey, sha256: stored.sha256, size: stored.size };
}

describe('evidence verification', () => {
  test('SharePoint: intact items pass; a changed file in the library is reported', async () => {
    const server = await startGraphServer();
    const store = storeFor(server);
    try {
      const a = await store.put(putInput(pngBytes(10_000, 1)));
      const b = await store.put(putInput(pngBytes(10_000, 2)));
      const tampered = server.items.get(b.storageKey.slice('sharepoint:'.length));
      tampered?.content?.writeUInt8((tampered.content[100] ?? 0) ^ 0xff, 100);
      const seen: string[] = [];
      const summary = await verifyEvidence([itemFor('ev-a', a), itemFor('ev-b', b), itemFor('ev-c', { ...a, storageKey: 'sharepoint:01MISSING' })], store, (check) => seen.push(`${check.item.id}:${check.outcome}`));
      expect(seen).toEqual(['ev-a:ok', 'ev-b:mismatch', 'ev-c:unreadable']);
      expect(summary).toMatchObject({ checked: 3, ok: 1 });
    } finally {
      store.close();
      await server.stop();
    }
  });

  test('the report over the database: 0 when intact, 1 naming the item when a local file was changed', async () => {
    const dataDir = tempDir('verify');
    const evidenceStore = createEvidenceStore({ kind: 'local', dir: path.join(dataDir, 'evidence'), maxBytes: 1e6 });
    const stored = await evidenceStore.put(putInput(pngBytes(20_000)));
    const db = await createStore({ dataDir: ':memory:' });
    try {
      await db.transaction(async (uow) => {
        await uow.requests.insert(request);
        await uow.evidence.insert(itemFor('ev-1', stored));
      });
      const lines: string[] = [];
      expect(await reportEvidenceIntegrity(await db.read.evidence.listAll(), evidenceStore, (l) => lines.push(l))).toBe(0);
      expect(lines).toEqual(['[1/1] ev-1 (evidence-0001.png) ok', '1 checked, 1 intact (0.0 MB), 0 mismatched, 0 unreadable.']);

      writeFileSync(path.join(dataDir, 'evidence', ...stored.storageKey.split('/')), pngBytes(20_000, 9));
      lines.length = 0;
      expect(await reportEvidenceIntegrity(await db.read.evidence.listAll(), evidenceStore, (l) => lines.push(l))).toBe(1);
      expect(lines[0]).toMatch(/^\[1\/1\] ev-1 \(evidence-0001\.png\) MISMATCH: expected [0-9a-f]{64} \(20000 bytes\)/);
    } finally {
      await db.close();
    }
  });
});
