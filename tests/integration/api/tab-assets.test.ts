/**
 * How the tab's files are sent: pre-compressed (brotli, else gzip), hashed assets cached for good,
 * index.html (and every deep link that falls back to it) checked on every load.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { ensureTabBuilt, ROOT } from '../../e2e/support';
import { startApi, type ApiHarness } from '../../support/api-server';
import { measureFirstPage } from '../../../tab/scripts/size';

let api: ApiHarness;

beforeAll(async () => {
  ensureTabBuilt();
  api = await startApi('PGlite');
});

afterAll(async () => {
  await api?.close();
});

/** fetch() would undo the encoding; a raw request shows exactly what is sent. */
function get(pathname: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${api.url}${pathname}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

const mainScript = (): string => {
  const name = readdirSync(path.join(ROOT, 'tab/dist/assets')).find((f) => /^index-.*\.js$/.test(f));
  if (!name) throw new Error('The tab build has no main script.');
  return `/assets/${name}`;
};

describe('the tab’s files', () => {
  it('sends hashed scripts brotli-compressed to browsers that take it, and caches them for good', async () => {
    const plain = await get(mainScript());
    const br = await get(mainScript(), 'br, gzip');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.bytes).toBeLessThan(plain.bytes / 2);
  });

  it('falls back to gzip, and to the plain file for clients that take neither', async () => {
    expect((await get(mainScript(), 'gzip')).headers['content-encoding']).toBe('gzip');
    const plain = await get(mainScript());
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('has index.html and every deep link checked on each load, so a new release is picked up', async () => {
    for (const pathname of ['/', '/index.html', '/requests/00000000-0000-4000-8000-000000000000']) {
      const page = await get(pathname, 'br, gzip');
      expect(page.status).toBe(200);
      expect(String(page.headers['content-type'])).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps a cold link straight to a request within 250 KB of compressed script', () => {
    const report = measureFirstPage(path.join(ROOT, 'tab/dist'));
    expect(report.deepLinkGzipBytes).toBeLessThanOrEqual(250 * 1024);
    expect(report.firstPageGzipBytes).toBeLessThanOrEqual(300 * 1024);
  });
});
