/** Subject access: everything about one person across requests, and nothing of anyone else. */
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { PNG_BYTES } from '../api/helpers';
import { seedWorkflows, type SeedClock, type Seeded } from './seed';

async function bundle(api: ApiHarness, id: string, token: string): Promise<{ status: number; files: Record<string, string>; zip: JSZip | null }> {
  const response = await fetch(`${api.url}/api/disclosures/${id}/content`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) return { status: response.status, files: {}, zip: null };
  const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
  const files: Record<string, string> = {};
  for (const [name, file] of Object.entries(zip.files)) {
    if (file.dir) continue;
    if (name.endsWith('.docx')) {
      const inner = await JSZip.loadAsync(await file.async('nodebuffer'));
      files[name] = ((await inner.file('word/document.xml')?.async('string')) ?? '').replace(/<[^>]+>/g, ' ');
    } else {
      files[name] = await file.async('string');
    }
  }
  return { status: 200, files, zip };
}

describe.each(BACKENDS)('subject access disclosure on %s', (backend) => {
  let api: ApiHarness;
  let seeded: Seeded;
  const clock: SeedClock = { now: new Date('2026-06-01T09:00:00Z') };
  beforeAll(async () => {
    api = await startApi(backend, { clock: { now: () => clock.now } });
    seeded = await seedWorkflows(api, clock);
  }, 240_000);
  afterAll(async () => api.close());

  test('a person named in three requests gets all three and nothing of anyone else', async () => {
    const t = seeded.tokens;
    const found = await api.call('POST', '/api/disclosures', { token: t['grace.lee'], body: { name: 'jane  DOE', dateOfBirth: '1990-01-01' } });
    expect(found.status).toBe(201);
    const ids = [seeded.ids.shared, seeded.ids.withdrawn, seeded.ids.open];
    expect((found.body.requests as { id: string }[]).map((r) => r.id).sort()).toEqual([...ids].sort());
    const { files, zip } = await bundle(api, found.body.id as string, t['grace.lee']);
    const names = Object.keys(files);
    expect(names).toContain('index.txt');
    expect(names.filter((n) => n.endsWith('investigation-request.docx'))).toHaveLength(3);
    expect(names.filter((n) => n.endsWith('investigation-log.docx'))).toHaveLength(1);
    expect(names.filter((n) => n.endsWith('audit-entries.json'))).toHaveLength(3);
    const evidence = names.filter((n) => n.includes('/evidence/'));
    expect(evidence).toHaveLength(1);
    const png = await zip?.file(evidence[0] as string)?.async('nodebuffer');
    expect(png?.equals(PNG_BYTES)).toBe(true);
    expect(files['index.txt']).toContain(`sha256 ${createHash('sha256').update(PNG_BYTES).digest('hex')}`);
    expect(files['index.txt']).toContain('Records are held in 3 requests.');
    expect(files['index.txt']).toContain('NOT withheld — review and redact by hand before release: free text in the documents');
    const all = Object.values(files).join('\n');
    expect(all).toContain('Jane Doe');
    expect(all).toContain('12 Acacia Avenue');
    for (const other of ['Mark Stone', '1985-05-05', 'Mill Lane', 'Lucy Fenwick', 'Castle Road', 'Child A', 'No profile found']) expect(all).not.toContain(other);
  });

  test('another date of birth is another person; a profile link alone finds them', async () => {
    const t = seeded.tokens;
    const other = await api.call('POST', '/api/disclosures', { token: t['nina.shaw'], body: { name: 'Jane Doe', dateOfBirth: '1991-02-02' } });
    expect(other.body.requests).toEqual([]);
    const byLink = await api.call('POST', '/api/disclosures', { token: t['nina.shaw'], body: { name: 'J D', profileLink: 'https://m.facebook.com/mark.stone/' } });
    expect((byLink.body.requests as { id: string }[]).map((r) => r.id).sort()).toEqual([seeded.ids.shared, seeded.ids.declined, seeded.ids.lapsed].sort());
  });

  test('a person with no records gets an empty bundle that says so', async () => {
    const t = seeded.tokens;
    const none = await api.call('POST', '/api/disclosures', { token: t['grace.lee'], body: { name: 'Nobody Known' } });
    expect(none.status).toBe(201);
    expect(none.body.requests).toEqual([]);
    const { files } = await bundle(api, none.body.id as string, t['grace.lee']);
    expect(Object.keys(files)).toEqual(['index.txt']);
    expect(files['index.txt']).toContain('No request names this person among the people it is about, by name, other name or profile link.');
    // It says what it did not search, rather than that nothing is held anywhere.
    expect(files['index.txt']).toContain('Not searched: free text');
  });

  test('only administrators and service managers; every search and download audited without the person’s details', async () => {
    const t = seeded.tokens;
    for (const who of ['amelia.hart', 'sarah.mitchell'] as const) {
      expect((await api.call('POST', '/api/disclosures', { token: t[who], body: { name: 'Jane Doe' } })).status).toBe(403);
    }
    const found = await api.call('POST', '/api/disclosures', { token: t['grace.lee'], body: { name: 'Lucy Fenwick' } });
    expect((await bundle(api, found.body.id as string, t['sarah.mitchell'])).status).toBe(403);
    expect((await bundle(api, found.body.id as string, t['nina.shaw'])).status).toBe(200);
    const bad = await api.call('POST', '/api/disclosures', { token: t['grace.lee'], body: { name: '', profileLink: 'facebook' } });
    expect(Object.keys(bad.body.error?.fields ?? {}).sort()).toEqual(['name', 'profileLink']);
    const entries = await api.server.store.db.selectFrom('audit_entries').select(['action', 'actor_id', 'detail']).where('action', 'in', ['search_disclosure', 'download_disclosure']).orderBy('position').execute();
    expect(entries.filter((e) => e.detail?.disclosureId === found.body.id).map((e) => [e.action, e.actor_id])).toEqual([
      ['search_disclosure', 'grace.lee'],
      ['download_disclosure', 'nina.shaw'],
    ]);
    expect(JSON.stringify(entries)).not.toContain('Lucy');
  });
});
