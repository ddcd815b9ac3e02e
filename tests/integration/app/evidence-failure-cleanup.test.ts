/**
 * Issue 13: nothing a refusal touches may remain. The file is stored before the locked re-check
 * and the insert, so when either fails the stored file must go again: no file without its row.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AppDeps } from '../../../src/app/deps';
import type { EvidenceStore, Store, UnitOfWork } from '../../../src/app/ports';
import { addEvidence } from '../../../src/app/requests/evidence';
import { LocalDiskEvidenceStore } from '../../../src/evidence/local-disk';
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { EVIDENCE_METADATA, PNG_BYTES, searchingRequest } from '../api/helpers';

const person = (id: string) => {
  const found = DEMO_PEOPLE.find((p) => p.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

/** Every file under `dir`, however deep: emptied folders may stay, files may not. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe.each(BACKENDS)('a failed evidence write leaves no file behind on %s', (backend) => {
  let api: ApiHarness;
  let dir: string;
  beforeAll(async () => {
    api = await startApi(backend);
  });
  afterAll(async () => api.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smc-evidence-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const caller = { person: person('imran.malik'), requestId: 'test-call' };
  const file = () => ({ content: Readable.from([PNG_BYTES]), contentType: 'image/png', extension: 'png', size: PNG_BYTES.length });

  /** Local disk, with `afterPut` run once the file is stored and the keys it stored kept. */
  function evidenceStore(afterPut: () => Promise<void> = async () => undefined, failRemove = false) {
    const disk = new LocalDiskEvidenceStore(dir);
    const keys: string[] = [];
    const removals: string[] = [];
    const store: EvidenceStore = {
      put: async (input) => {
        const stored = await disk.put(input);
        keys.push(stored.storageKey);
        await afterPut();
        return stored;
      },
      get: (key) => disk.get(key),
      remove: async (key) => {
        removals.push(key);
        if (failRemove) throw new Error('share offline');
        await disk.remove(key);
      },
    };
    return { store, keys, removals };
  }

  async function withdrawMeanwhile(id: string, token: string) {
    const current = await api.server.store.read.requests.get(id);
    const withdrawn = await api.call('POST', `/api/requests/${id}/actions/withdraw`, { token, body: { version: current?.version, reason: 'No longer needed' } });
    if (withdrawn.status !== 200) throw new Error(`withdraw: ${withdrawn.status} ${JSON.stringify(withdrawn.body)}`);
  }

  test('the request moves on while the file is stored: the re-check refuses and the file is removed', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const { store, keys } = evidenceStore(() => withdrawMeanwhile(id, tokens.osw));
    const deps: AppDeps = { ...api.server.deps, evidence: store };
    await expect(addEvidence(deps, caller, id, { ...EVIDENCE_METADATA, subjectId }, file())).rejects.toMatchObject({ code: 'invalid_state' });
    expect(keys).toHaveLength(1);
    expect(filesUnder(dir)).toEqual([]);
    await expect(store.get(keys[0] ?? '')).rejects.toMatchObject({ code: 'not_found' });
    expect(await api.server.store.read.evidence.listForRequest(id)).toEqual([]);
  });

  test('the insert fails: the error reaches the caller and the file is removed', async () => {
    const { id, subjectId } = await searchingRequest(api);
    const real = api.server.deps.store;
    const failing: Store = {
      ...real,
      transaction: (work) =>
        real.transaction((uow) => {
          const wrapped: UnitOfWork = { ...uow, evidence: { ...uow.evidence, insert: async () => Promise.reject(new Error('disk full')) } };
          return work(wrapped);
        }),
    };
    const { store, keys } = evidenceStore();
    const deps: AppDeps = { ...api.server.deps, store: failing, evidence: store };
    await expect(addEvidence(deps, caller, id, { ...EVIDENCE_METADATA, subjectId }, file())).rejects.toThrow('disk full');
    expect(keys).toHaveLength(1);
    expect(filesUnder(dir)).toEqual([]);
    await expect(store.get(keys[0] ?? '')).rejects.toMatchObject({ code: 'not_found' });
    expect(await api.server.store.read.evidence.listForRequest(id)).toEqual([]);
  });

  test('a removal that fails too does not hide the refusal', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const { store, keys, removals } = evidenceStore(() => withdrawMeanwhile(id, tokens.osw), true);
    const deps: AppDeps = { ...api.server.deps, evidence: store };
    await expect(addEvidence(deps, caller, id, { ...EVIDENCE_METADATA, subjectId }, file())).rejects.toMatchObject({ code: 'invalid_state' });
    expect(removals).toEqual(keys);
    expect(await api.server.store.read.evidence.listForRequest(id)).toEqual([]);
  });
});
