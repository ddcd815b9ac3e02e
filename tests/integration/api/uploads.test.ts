/**
 * Issue 13, item 3: uploads are checked before a byte of the file is written, whatever the order
 * of the parts; malformed multipart is a 4xx; temporary files never outlive an upload; and a
 * bounded number of uploads run at once.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { makeTmpDir } from '../../../src/server/routes/requests';
import { createUploadSlots } from '../../../src/server/upload-slots';
import { RateLimited } from '../../../src/domain/errors';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { within } from '../../support/within';
import { EVIDENCE_METADATA, multipartBody, PNG_BYTES, searchingRequest, uploadEvidence } from './helpers';

const BOUNDARY = 'smc-test-boundary';

describe.each(BACKENDS)('uploads on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(backend, { env: { MAX_UPLOADS_PER_PERSON: '1' } });
  });
  afterAll(async () => api.close());

  const tmpEntries = () => readdirSync(join(api.dataDir, 'tmp'));

  async function post(requestId: string, token: string, body: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) {
    const response = await fetch(`${api.url}/api/requests/${requestId}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body: new Uint8Array(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as { error?: { code: string; message: string; fields?: Record<string, string> } } };
  }

  test('a file sent before its metadata is refused, naming the rule, and nothing is written', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const body = multipartBody(BOUNDARY, [
      { name: 'file', value: Buffer.concat([PNG_BYTES, Buffer.alloc(256 * 1024)]), fileName: 'photo.png' },
      { name: 'metadata', value: JSON.stringify({ ...EVIDENCE_METADATA, subjectId }) },
    ]);
    const refused = await post(id, tokens.aaw, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toMatch(/“metadata” part before the “file” part/);
    expect(tmpEntries()).toEqual([]);
    expect((await api.call('GET', `/api/requests/${id}/evidence`, { token: tokens.aaw })).body).toEqual([]);
  });

  test('someone with no part in the request is refused before the file is read', async () => {
    const stranger = await api.token('ben.okafor');
    const body = multipartBody(BOUNDARY, [
      { name: 'metadata', value: JSON.stringify({ ...EVIDENCE_METADATA, subjectId: 'someone' }) },
      { name: 'file', value: Buffer.concat([PNG_BYTES, Buffer.alloc(256 * 1024)]), fileName: 'photo.png' },
    ]);
    const refused = await post('00000000-0000-4000-8000-000000000000', stranger, body);
    expect(refused.status).toBe(404);
    expect(tmpEntries()).toEqual([]);
  });

  test('malformed multipart is a 4xx in the documented shape', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const metadata = { name: 'metadata', value: JSON.stringify({ ...EVIDENCE_METADATA, subjectId }) };
    const file = { name: 'file', value: PNG_BYTES, fileName: 'photo.png' };
    const cases: [string, Buffer, string?][] = [
      ['no boundary', multipartBody(BOUNDARY, [metadata, file]), 'multipart/form-data'],
      ['too many fields', multipartBody(BOUNDARY, [metadata, metadata, metadata, metadata, metadata, file])],
      ['two files', multipartBody(BOUNDARY, [metadata, file, file])],
      ['an unknown part', multipartBody(BOUNDARY, [{ name: 'note', value: 'hello' }, metadata, file])],
      ['a truncated body', multipartBody(BOUNDARY, [metadata, file]).subarray(0, 200)],
      ['no closing boundary', multipartBody(BOUNDARY, [metadata, file], { close: false })],
      ['garbage', Buffer.from('not multipart at all')],
    ];
    for (const [what, body, type] of cases) {
      const response = await post(id, tokens.aaw, body, type);
      expect([what, response.status >= 400 && response.status < 500]).toEqual([what, true]);
      expect(Object.keys(response.body.error ?? {}).sort()).toEqual(expect.arrayContaining(['code', 'message']));
    }
    expect(tmpEntries()).toEqual([]);
    expect((await api.call('GET', `/api/requests/${id}/evidence`, { token: tokens.aaw })).body).toEqual([]);
  });

  test('one upload at a time per person (as configured): the next gets a 429 with Retry-After', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const head = multipartBody(BOUNDARY, [{ name: 'metadata', value: JSON.stringify({ ...EVIDENCE_METADATA, subjectId }) }], { close: false });
    const slow = httpRequest(`${api.url}/api/requests/${id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.aaw}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
    });
    const finished = new Promise<number>((resolve, reject) => {
      slow.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      slow.on('error', reject);
    });
    slow.write(Buffer.concat([head, Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n\r\n`), PNG_BYTES, Buffer.alloc(64 * 1024)]));
    // The file is being spooled once its folder exists: the slot is held.
    while (tmpEntries().length === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = await uploadEvidence(api, tokens.aaw, id, { subjectId }, PNG_BYTES, 'b.png');
    expect(second.status).toBe(429);
    expect(second.body.error?.code).toBe('rate_limited');
    slow.end(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
    expect(await finished).toBe(201);
    expect(tmpEntries()).toEqual([]);
    const third = await uploadEvidence(api, tokens.aaw, id, { subjectId }, PNG_BYTES, 'c.png');
    expect(third.status).toBe(201);
  });
});

describe('upload slots', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('PGlite', { env: { MAX_UPLOADS_PER_PERSON: '1', MAX_UPLOADS_TOTAL: '2' } });
  });
  afterAll(async () => api.close());

  test('are not held by people with no part in the request, however slowly they send: a real upload still goes through', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const strangers = await Promise.all(['ben.okafor', 'jack.turner', 'kate.bishop'].map((who) => api.token(who)));
    // Each opens an upload to a request that does not exist and sends only the start of its metadata.
    const held = strangers.map((token) => {
      const stalled = httpRequest(`${api.url}/api/requests/11111111-1111-4111-8111-111111111111/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
      });
      stalled.on('error', () => undefined);
      stalled.write(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="metadata"\r\n\r\n{`);
      return stalled;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const real = await uploadEvidence(api, tokens.aaw, id, { subjectId }, PNG_BYTES, 'photo.png');
      expect(real.status).toBe(201);
    } finally {
      for (const stalled of held) stalled.destroy();
    }
  });
});

// The idle limit is the server's own timer, not the database's: one backend is enough.
describe('a stalled upload', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('PGlite', { env: { MAX_UPLOADS_PER_PERSON: '1', UPLOAD_IDLE_SECONDS: '1' } });
  });
  afterAll(async () => api.close());

  const tmpEntries = () => readdirSync(join(api.dataDir, 'tmp'));

  test('is dropped once it sends nothing for UPLOAD_IDLE_SECONDS, freeing its slot and its temporary file', async () => {
    const { id, subjectId, tokens } = await searchingRequest(api);
    const head = multipartBody(BOUNDARY, [{ name: 'metadata', value: JSON.stringify({ ...EVIDENCE_METADATA, subjectId }) }], { close: false });
    const stalled = httpRequest(`${api.url}/api/requests/${id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.aaw}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
    });
    const dropped = new Promise<string>((resolve) => {
      stalled.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      stalled.on('response', (response) => resolve(`answered ${response.statusCode ?? 0}`));
    });
    // Part of the file, then nothing more: the client neither finishes nor goes away.
    stalled.write(Buffer.concat([head, Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n\r\n`), PNG_BYTES, Buffer.alloc(64 * 1024)]));
    await within(10_000, 'spooling the file', (async () => {
      while (tmpEntries().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    })());
    const held = await uploadEvidence(api, tokens.aaw, id, { subjectId }, PNG_BYTES, 'b.png');
    expect(held.status).toBe(429);

    expect(await within(15_000, 'dropping the stalled upload', dropped)).toBe('ECONNRESET');
    await within(10_000, 'removing its temporary file', (async () => {
      while (tmpEntries().length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    })());
    const next = await uploadEvidence(api, tokens.aaw, id, { subjectId }, PNG_BYTES, 'c.png');
    expect(next.status).toBe(201);
    // Only the finished upload was kept; nothing of the stalled one.
    expect((await api.call('GET', `/api/requests/${id}/evidence`, { token: tokens.aaw })).body).toHaveLength(1);
  });
});

test('the total number of uploads at once is bounded too', () => {
  const slots = createUploadSlots({ perPerson: 2, total: 3 });
  const releases = [slots.take('a'), slots.take('a'), slots.take('b')];
  expect(() => slots.take('a')).toThrow(RateLimited);
  expect(() => slots.take('c')).toThrow(RateLimited);
  releases[0]?.();
  releases[0]?.();
  expect(() => slots.take('c')).not.toThrow();
});

test('what a killed upload left in DATA_DIR/tmp is swept at start-up', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'smc-sweep-'));
  mkdirSync(join(dataDir, 'tmp', 'upload-abc123'), { recursive: true });
  writeFileSync(join(dataDir, 'tmp', 'upload-abc123', 'content'), Buffer.alloc(1024));
  await makeTmpDir(dataDir);
  expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('a half-written evidence file a killed upload left in the evidence folder is removed when the server starts, and whole ones are kept', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'smc-sweep-'));
  const folder = join(dataDir, 'evidence', 'CM-1001', 'SMC-2026-000001');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, '1b2c-SMC-2026-000001-10480195.pdf.partial'), Buffer.alloc(4096));
  writeFileSync(join(folder, '3d4e-SMC-2026-000001-2f9a0c11.png'), PNG_BYTES);
  const api = await startApi('PGlite', { env: { DATA_DIR: dataDir } });
  try {
    expect(readdirSync(folder)).toEqual(['3d4e-SMC-2026-000001-2f9a0c11.png']);
  } finally {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
