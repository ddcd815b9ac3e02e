import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createEvidenceStore, evidenceConfigFromEnv } from '../../../src/evidence';
import { startGraphServer } from '../../support/graph-server';
import { pngBytes, putInput, readAll, sha256, tempDir } from './helpers';

describe('createEvidenceStore from the environment', () => {
  test('local disk by default, under DATA_DIR/evidence', async () => {
    const dataDir = tempDir('data');
    const config = evidenceConfigFromEnv({ DATA_DIR: dataDir });
    expect(config).toEqual({ kind: 'local', dir: path.join(dataDir, 'evidence'), maxBytes: 250 * 1024 * 1024 });
    const store = createEvidenceStore(config);
    const content = pngBytes(5000);
    const stored = await store.put(putInput(content));
    expect(stored.status).toBe('stored');
    expect(sha256(await readAll(await store.get(stored.storageKey)))).toBe(sha256(content));
    expect(await store.retryPendingUploads(async () => true)).toEqual([]);
  });

  test('EVIDENCE_DIR and MAX_EVIDENCE_MB (megabytes of 1024 × 1024 bytes) override the defaults', () => {
    expect(evidenceConfigFromEnv({ EVIDENCE_DIR: '/srv/evidence', MAX_EVIDENCE_MB: '3' })).toEqual({ kind: 'local', dir: '/srv/evidence', maxBytes: 3 * 1024 * 1024 });
  });

  test('SharePoint without its settings is refused, naming what is missing', () => {
    expect(() => evidenceConfigFromEnv({ EVIDENCE_STORE: 'sharepoint', AZURE_TENANT_ID: 't' })).toThrow(
      expect.objectContaining({ code: 'validation', fields: expect.objectContaining({ SHAREPOINT_DRIVE_ID: 'Set this variable.' }) }),
    );
    expect(() => evidenceConfigFromEnv({ EVIDENCE_STORE: 'dropbox' })).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  test('SharePoint with a certificate credential: MSAL signs a client assertion and the upload works', async () => {
    const server = await startGraphServer();
    const dir = tempDir('app-cert');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=smc-app', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    writeFileSync(path.join(dir, 'app.pem'), readFileSync(path.join(dir, 'key.pem'), 'utf8') + readFileSync(path.join(dir, 'cert.pem'), 'utf8'));
    writeFileSync(path.join(dir, 'ca.pem'), server.ca);
    const config = evidenceConfigFromEnv({
      EVIDENCE_STORE: 'sharepoint',
      DATA_DIR: dir,
      AZURE_TENANT_ID: server.tenantId,
      AZURE_CLIENT_ID: 'client-1',
      AZURE_CLIENT_CERTIFICATE_PATH: path.join(dir, 'app.pem'),
      AZURE_AUTHORITY_HOST: server.authorityHost,
      SHAREPOINT_GRAPH_BASE_URL: server.graphBaseUrl,
      SHAREPOINT_SITE_ID: 'site-1',
      SHAREPOINT_DRIVE_ID: 'drive-1',
      SHAREPOINT_CA_FILE: path.join(dir, 'ca.pem'),
      SHAREPOINT_RETENTION_LABEL: 'Evidence',
    });
    expect(config.kind === 'sharepoint' && config.sharepoint.pendingDir).toBe(path.join(dir, 'evidence-pending'));
    const store = createEvidenceStore(config);
    try {
      const stored = await store.put(putInput(pngBytes(3000)));
      expect(stored.status).toBe('stored');
      const tokenRequest = server.tokenRequests[0];
      expect(tokenRequest?.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(tokenRequest?.client_secret).toBeUndefined();
      expect(tokenRequest?.scope).toContain('https://graph.microsoft.com/.default');
      const header = JSON.parse(Buffer.from(tokenRequest?.client_assertion?.split('.')[0] ?? '', 'base64url').toString()) as Record<string, string>;
      expect(header['x5t#S256']).toBeDefined();
    } finally {
      store.close();
      await server.stop();
    }
  });
});
