import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { libraryReaders, provisionConfigFromEnv } from '../../../infra/sharepoint/config';
import { provisionSharePoint, type ProvisionOptions } from '../../../infra/sharepoint/provision';
import { EVIDENCE_COLUMNS, EVIDENCE_CONTENT_TYPE_NAME } from '../../../src/evidence/sharepoint';
import { createTokenProvider } from '../../../src/graph';
import { ROLE_DEFINITION_IDS, startGraphServer, type GraphServer } from '../../support/graph-server';
import { tempDir } from './helpers';

const run = promisify(execFile);
const directors = '6f1c1d43-0a55-4a8e-9b7e-1a2b3c4d5e6f';
const accessWorkers = '0b7a4a9e-3c1d-4e5f-8a9b-aabbccddeeff';
const retries = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 1000 };

let server: GraphServer;

beforeEach(async () => {
  server = await startGraphServer();
});

afterEach(async () => {
  await server.stop();
});

function options(): ProvisionOptions {
  return {
    siteId: 'contoso.sharepoint.com,site-guid,web-guid',
    siteUrl: server.sharePointRestUrl,
    libraryName: 'Evidence',
    grants: [
      { groupObjectId: directors },
      { groupObjectId: accessWorkers },
    ],
    graphBaseUrl: server.graphBaseUrl,
  };
}

const token = () =>
  createTokenProvider({ tenantId: server.tenantId, clientId: 'c', clientSecret: 's', authorityHost: server.authorityHost, caCertificate: server.ca });

describe('provisioning the evidence library', () => {
  test('creates columns, content type, library and unique permissions; a second run changes nothing', async () => {
    const first = await provisionSharePoint(options(), token(), retries, server.ca);
    expect(first.changes.length).toBeGreaterThan(0);
    expect(first.driveId).toBe(`b!${first.listId}`);

    const names = Object.values(EVIDENCE_COLUMNS).map((c) => c.name);
    expect([...server.siteColumns.keys()].sort()).toEqual([...names].sort());
    const [contentType] = [...server.contentTypes.values()];
    expect(contentType?.name).toBe(EVIDENCE_CONTENT_TYPE_NAME);
    expect(contentType?.columns.sort()).toEqual([...names].sort());
    const library = server.lists.get(first.listId);
    expect(library).toMatchObject({ displayName: 'Evidence', template: 'documentLibrary', hasUniqueRoleAssignments: true });
    expect(library?.contentTypes.some((c) => c.parentId === contentType?.id)).toBe(true);
    const groupId = (objectId: string) => server.siteUsers.get(`c:0t.c|tenant|${objectId}`);
    expect([...(library?.roleAssignments ?? [])].sort()).toEqual(
      [`${groupId(directors)}:${ROLE_DEFINITION_IDS[2]}`, `${groupId(accessWorkers)}:${ROLE_DEFINITION_IDS[2]}`].sort(),
    );
    // SharePoint REST was called with a token for SharePoint, not Graph.
    expect(server.tokenRequests.some((t) => t.scope?.includes(`${server.origin}/.default`))).toBe(true);

    const changesBefore = server.changes.length;
    const second = await provisionSharePoint(options(), token(), retries, server.ca);
    expect(second).toEqual({ listId: first.listId, driveId: first.driveId, changes: [] });
    expect(server.changes.length).toBe(changesBefore);
  });

  test('a column renamed by hand is put back; a new grant is added without touching the others', async () => {
    await provisionSharePoint(options(), token(), retries, server.ca);
    const column = server.siteColumns.get(EVIDENCE_COLUMNS.sha256.name);
    if (column) column.displayName = 'Hash';
    const extra = '11111111-2222-4333-8444-555555555555';
    const result = await provisionSharePoint({ ...options(), grants: [...options().grants, { groupObjectId: extra }] }, token(), retries, server.ca);
    expect(result.changes).toEqual([`updated site column ${EVIDENCE_COLUMNS.sha256.name}`, `granted read on Evidence to group ${extra}`]);
    expect(server.siteColumns.get(EVIDENCE_COLUMNS.sha256.name)?.displayName).toBe('SHA-256');
  });

  test('people only read: every group holds the Reader role, and an earlier contribute is taken away', async () => {
    const first = await provisionSharePoint(options(), token(), retries, server.ca);
    const list = server.lists.get(first.listId);
    const reader = ROLE_DEFINITION_IDS[2];
    const contributor = ROLE_DEFINITION_IDS[3];
    expect([...(list?.roleAssignments ?? [])].every((a) => a.endsWith(`:${reader}`))).toBe(true);
    // As an earlier provisioning left it: the access workers could add, replace and delete items.
    const principal = server.siteUsers.get(`c:0t.c|tenant|${accessWorkers}`);
    list?.roleAssignments.add(`${principal}:${contributor}`);
    const again = await provisionSharePoint(options(), token(), retries, server.ca);
    expect(again.changes).toEqual([expect.stringContaining(`removed role ${contributor} on Evidence from group ${accessWorkers}`)]);
    expect(list?.roleAssignments.has(`${principal}:${contributor}`)).toBe(false);
    expect(list?.roleAssignments.has(`${principal}:${reader}`)).toBe(true);
  });

  test('the default view shows the evidence columns, grouped by case and then request', async () => {
    const first = await provisionSharePoint(options(), token(), retries, server.ca);
    const view = server.lists.get(first.listId)?.defaultView;
    expect(view?.viewQuery).toMatch(new RegExp(`^<GroupBy Collapse="TRUE"[^>]*><FieldRef Name="${EVIDENCE_COLUMNS.caseReference.name}" /><FieldRef Name="${EVIDENCE_COLUMNS.requestReference.name}" /></GroupBy>`));
    expect(view?.fields).toEqual(expect.arrayContaining(Object.values(EVIDENCE_COLUMNS).map((c) => c.name)));
  });

  test('the library readers are the role groups of the directory sync, never a list kept apart', () => {
    const groups = { ROLE_GROUP_SERVICE_DIRECTOR: directors, ROLE_GROUP_SERVICE_MANAGER: '22222222-2222-4333-8444-555555555555', ROLE_GROUP_ACCESS_WORKER: accessWorkers.toUpperCase() };
    expect(libraryReaders(groups)).toEqual([{ groupObjectId: directors }, { groupObjectId: '22222222-2222-4333-8444-555555555555' }, { groupObjectId: accessWorkers }]);
    expect(() => libraryReaders({ ...groups, ROLE_GROUP_SERVICE_MANAGER: 'Service managers' })).toThrow(expect.objectContaining({ fields: { ROLE_GROUP_SERVICE_MANAGER: expect.any(String) } }));
    expect(() => libraryReaders({ ...groups, SHAREPOINT_GRANTS: `${directors}:contribute` })).toThrow(expect.objectContaining({ fields: { SHAREPOINT_GRANTS: expect.stringMatching(/people only read/) } }));
    expect(() => provisionConfigFromEnv({ SHAREPOINT_SITE_ID: 'x' })).toThrow(expect.objectContaining({ fields: { SHAREPOINT_SITE_URL: 'Set this variable.' } }));
  });

  test('the npm script runs from the environment and prints the drive id', async () => {
    const dir = tempDir('provision');
    writeFileSync(path.join(dir, 'ca.pem'), server.ca);
    const env = {
      ...process.env,
      AZURE_TENANT_ID: server.tenantId,
      AZURE_CLIENT_ID: 'client-1',
      AZURE_CLIENT_SECRET: 'secret',
      AZURE_AUTHORITY_HOST: server.authorityHost,
      SHAREPOINT_CA_FILE: path.join(dir, 'ca.pem'),
      SHAREPOINT_GRAPH_BASE_URL: server.graphBaseUrl,
      SHAREPOINT_SITE_ID: 'site-1',
      SHAREPOINT_SITE_URL: server.sharePointRestUrl,
      ROLE_GROUP_SERVICE_DIRECTOR: directors,
      ROLE_GROUP_SERVICE_MANAGER: '22222222-2222-4333-8444-555555555555',
      ROLE_GROUP_ACCESS_WORKER: accessWorkers,
    };
    const script = path.join(__dirname, '../../../scripts/provision-sharepoint.ts');
    const first = await run('npx', ['tsx', script], { env });
    expect(first.stdout).toContain('changed: created library Evidence');
    expect(first.stdout).toMatch(/SHAREPOINT_DRIVE_ID=b!/);
    const second = await run('npx', ['tsx', script], { env });
    expect(second.stdout).toContain('Nothing to change');
  }, 30_000);
});
