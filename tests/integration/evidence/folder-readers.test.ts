/**
 * From a request's first evidence item, its originating worker and team manager may read the
 * request's folder in SharePoint: the outbox message the first item writes is delivered as a
 * sharing invitation on that folder (Graph stand-in), and retried while the folder does not exist.
 */
import type { AppDeps } from '../../../src/app/deps';
import type { OutboxMessage } from '../../../src/app/ports';
import type { ConfiguredEvidenceStore } from '../../../src/evidence';
import type { SharePointEvidenceStore } from '../../../src/evidence/sharepoint';
import { folderReadersSender } from '../../../src/server/record-documents';
import { startGraphServer, type GraphServer } from '../../support/graph-server';
import { fullPerson, fullRequest } from '../../support/store-fixtures';
import { pngBytes, putInput, storeFor } from './helpers';

let server: GraphServer;
let store: SharePointEvidenceStore;

beforeEach(async () => {
  server = await startGraphServer();
  store = storeFor(server);
});

afterEach(async () => {
  store.close();
  await server.stop();
});

test('the first evidence item opens the folder to the originating worker and team manager, once it exists', async () => {
  const osw = fullPerson('osw-1', { aadObjectId: 'osw-oid' });
  const tm = fullPerson('tm-1', { aadObjectId: 'tm-oid' });
  const request = fullRequest({ reference: 'SMC-2026-000042', originatingWorkerId: osw.id, teamManagerId: tm.id });
  request.form = { ...request.form, caseReference: 'CASE-77' };
  const people = new Map([osw, tm].map((p) => [p.id, p]));
  const deps = {
    store: { read: { requests: { get: async (id: string) => (id === request.id ? request : null) } } },
    directory: { get: async (id: string) => people.get(id) ?? null },
  } as unknown as AppDeps;
  const configured = { grantRequestFolder: (c: string, r: string, readers: { aadObjectId?: string }[]) => store.grantRequestFolder(c, r, readers) } as unknown as ConfiguredEvidenceStore;
  const sender = folderReadersSender(deps, configured);
  const message = { id: 'm1', requestId: request.id, recipientId: null, kind: 'grant_folder_readers', payload: {} } as unknown as OutboxMessage;

  // The upload is still pending: no folder yet, so the delivery fails and the outbox tries again.
  await expect(sender.deliver(message)).rejects.toMatchObject({ code: 'not_found' });

  await store.put(putInput(pngBytes(1024), { requestReference: request.reference, caseReference: 'CASE-77' }));
  await expect(sender.deliver(message)).resolves.toEqual({ status: 'sent' });
  expect([...(server.folderPermissions.get('CASE-77/SMC-2026-000042') ?? [])].sort()).toEqual(['osw-oid:read', 'tm-oid:read']);
});
