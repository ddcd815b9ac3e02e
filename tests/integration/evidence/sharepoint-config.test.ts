import { resolveSharePointConfig, type SharePointStoreConfig } from '../../../src/evidence/sharepoint';
import { parseRetryAfter } from '../../../src/evidence/sharepoint/graph';
import { nextOffset } from '../../../src/evidence/sharepoint/upload';
import { ConfigError, loadConfig } from '../../../src/server/config';

const base: SharePointStoreConfig = { tenantId: 't', clientId: 'c', clientSecret: 's', siteId: 'site', driveId: 'drive', pendingDir: '/tmp/p' };

describe('SharePoint store configuration', () => {
  test('defaults follow Graph: 10 MiB ranges, 4 MB simple uploads, the public cloud', () => {
    expect(resolveSharePointConfig(base)).toMatchObject({
      chunkSize: 10 * 1024 * 1024,
      simpleUploadLimit: 4_000_000,
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      authorityHost: 'https://login.microsoftonline.com',
    });
  });

  test.each([
    [{ chunkSize: 1_000_000 }, 'chunkSize'],
    [{ chunkSize: 200 * 327680 }, 'chunkSize'],
    // "Each byte range must be less than 60 MiB": exactly 60 MiB (192 × 320 KiB) is refused too.
    [{ chunkSize: 60 * 1024 * 1024 }, 'chunkSize'],
    [{ simpleUploadLimit: 5 * 1024 * 1024 }, 'simpleUploadLimit'],
    [{ clientSecret: undefined }, 'credential'],
    [{ driveId: '' }, 'driveId'],
  ])('%o is refused, naming %s', (override, field) => {
    expect(() => resolveSharePointConfig({ ...base, ...override })).toThrow(expect.objectContaining({ code: 'validation', fields: expect.objectContaining({ [field]: expect.any(String) }) }));
  });
});

describe('start-up', () => {
  test('a chunk size Graph would refuse on every upload stops the server from starting', () => {
    const env = {
      EVIDENCE_STORE: 'sharepoint',
      SHAREPOINT_SITE_ID: 'site',
      SHAREPOINT_DRIVE_ID: 'drive',
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
      AZURE_CLIENT_SECRET: 's',
      DATA_DIR: ':memory:',
    };
    expect(() => loadConfig({ ...env, SHAREPOINT_CHUNK_SIZE: String(60 * 1024 * 1024) })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, SHAREPOINT_CHUNK_SIZE: String(60 * 1024 * 1024) })).toThrow(/chunkSize: The chunk size must be less than 60 MiB/);
    expect(loadConfig({ ...env, SHAREPOINT_CHUNK_SIZE: String(60 * 1024 * 1024 - 327680) }).evidence.kind).toBe('sharepoint');
  });
});

describe('reading what Graph says', () => {
  test('nextExpectedRanges: the start of the first missing range', () => {
    expect(nextOffset(['327680-'], 0)).toBe(327680);
    expect(nextOffset(['26-99', '200-'], 0)).toBe(26);
    expect(nextOffset([], 42)).toBe(42);
    expect(nextOffset(undefined, 7)).toBe(7);
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(inTenSeconds)).toBeGreaterThan(8000);
  });
});
