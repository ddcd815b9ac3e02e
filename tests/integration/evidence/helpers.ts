/** Shared set-up for the evidence tests: a store pointed at the local Graph server. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { EvidencePutInput } from '../../../src/app/ports';
import { SharePointEvidenceStore, type SharePointStoreConfig, type SharePointStoreOptions } from '../../../src/evidence/sharepoint';
import { RANGE_UNIT, type GraphServer } from '../../support/graph-server';

export const DRIVE_ID = 'b!evidence-drive';

const madeDirs: string[] = [];

/** A temporary directory removed when the test file ends (jest runs this per file that imports it). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  madeDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function storeFor(server: GraphServer, overrides: Partial<SharePointStoreConfig> = {}, options: SharePointStoreOptions = {}): SharePointEvidenceStore {
  return new SharePointEvidenceStore(
    {
      tenantId: server.tenantId,
      clientId: '00000000-0000-0000-0000-00000000c11e',
      clientSecret: 'test-secret',
      siteId: 'contoso.sharepoint.com,site-guid,web-guid',
      driveId: DRIVE_ID,
      graphBaseUrl: server.graphBaseUrl,
      authorityHost: server.authorityHost,
      caCertificate: server.ca,
      chunkSize: RANGE_UNIT,
      simpleUploadLimit: 4 * 1000 * 1000,
      maxAttempts: 4,
      retryBaseDelayMs: 5,
      maxRetryDelayMs: 5000,
      pendingDir: tempDir('evidence-pending'),
      ...overrides,
    },
    options,
  );
}

/** Deterministic bytes that start like a PNG, so they also pass the content check. */
export function pngBytes(size: number, seed = 1): Buffer {
  const buf = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i += 1) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    buf[i] = x & 0xff;
  }
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(buf);
  return buf;
}

export const sha256 = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');

export function putInput(content: Buffer, overrides: Partial<EvidencePutInput> = {}): EvidencePutInput {
  return {
    requestId: 'req-1',
    requestReference: 'SMC-2026-000042',
    caseReference: 'CASE-77',
    fileName: 'evidence-0001.png',
    contentType: 'image/png',
    content: Readable.from([content]),
    metadata: {
      subjectId: 'subject-1',
      sourceUrl: 'https://www.facebook.com/some.profile/posts/1',
      capturedAt: '2026-11-25T10:15:00Z',
      description: 'Public post showing the claimed separation did not happen.',
      publiclyVisible: true,
      correctionReason: undefined,
      capturedBy: 'aaw-1',
    },
    ...overrides,
  };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
