import JSZip from 'jszip';
import { createEvidenceStore } from '../../../src/evidence';
import { DOCX_CONTENT_TYPE, recordDocuments, type RecordDocumentsInput } from '../../../src/evidence/documents';
import { startGraphServer } from '../../support/graph-server';
import { evidence, request, sessions } from './fixtures';
import { readAll, sha256, storeFor, tempDir } from './helpers';

const input: RecordDocumentsInput = {
  request,
  evidence,
  searchSessions: sessions,
  people: { osw: 'Olivia Social', tm: 'Tom Manager', sd: 'Sarah Director', aaw: 'Alex Access' },
  generatedAt: new Date('2026-11-25T12:00:00Z'),
};

/** The visible text of a .docx: the runs of word/document.xml joined. */
async function documentText(content: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(content);
  const xml = await zip.file('word/document.xml')?.async('string');
  expect(xml).toBeDefined();
  return [...(xml ?? '').matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ');
}

describe('record documents', () => {
  test('both documents are named by the request and open as Word files', async () => {
    const docs = await recordDocuments(input);
    expect(docs.map((d) => d.fileName)).toEqual(['SMC-2026-000042-investigation-request.docx', 'SMC-2026-000042-investigation-log.docx']);
    for (const doc of docs) {
      expect(doc.contentType).toBe(DOCX_CONTENT_TYPE);
      const zip = await JSZip.loadAsync(doc.content);
      expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'docProps/core.xml']));
    }
  });

  test('the Investigation Request holds the form and the decisions', async () => {
    const [requestDoc] = await recordDocuments(input);
    const text = await documentText(requestDoc?.content ?? Buffer.alloc(0));
    for (const expected of [
      'Investigation Request SMC-2026-000042',
      'CASE-77',
      'Amy Example (born 04/03/2015)',
      'Other: Contact with a barred relative',
      'Jane Example',
      'Unknown associate: Man with a red van',
      '01/09/2026 to 20/11/2026',
      'One-off review',
      'Tom Manager',
      'Sarah Director',
      'Public posts only',
      'Urgent',
    ]) {
      expect(text).toContain(expected);
    }
  });

  test('the Investigation Log names the people each session searched (DESIGN §3), and says when a session from before did not record them', async () => {
    const [, logDoc] = await recordDocuments({ ...input, searchSessions: [...sessions, { ...sessions[0]!, id: 'ss-0', startedAt: '2026-11-23T09:00:00Z', subjectIds: [] }] });
    const text = await documentText(logDoc?.content ?? Buffer.alloc(0));
    expect(text).toContain('People searched');
    expect(text).toContain('Jane Example');
    expect(text).toContain('Not recorded');
  });

  test('the Investigation Log holds sessions, findings, evidence, further persons and the assessment', async () => {
    const [, logDoc] = await recordDocuments(input);
    const text = await documentText(logDoc?.content ?? Buffer.alloc(0));
    for (const expected of [
      'Investigation Log SMC-2026-000042',
      'Alex Access',
      '24/11/2026 10:00',
      '42 min 30 s',
      'Photos with Mr Z dated October.',
      'https://www.facebook.com/jane.example',
      'evidence-0001.png',
      'a'.repeat(64),
      'https://www.facebook.com/jane.example/photos/1',
      'Attested',
      'Woman tagged in the October photos',
      'Profile largely public.',
      'Contradicts the claimed separation.',
      'Considerable',
      'Strategy discussion arranged.',
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('filing the record documents beside the evidence', () => {
  const references = { requestId: 'req-1', requestReference: 'SMC-2026-000042', caseReference: 'CASE-77' };

  test('in SharePoint: in the request folder, with the references set, readable back', async () => {
    const server = await startGraphServer();
    const store = storeFor(server);
    try {
      const [doc] = await recordDocuments(input);
      if (!doc) throw new Error('no document');
      const stored = await store.putRecordDocument({ ...references, ...doc });
      expect(stored.status).toBe('stored');
      const item = server.itemAt('CASE-77/SMC-2026-000042', 'SMC-2026-000042-investigation-request.docx');
      expect(item?.fields).toEqual({ SmcRequestReference: 'SMC-2026-000042', SmcCaseReference: 'CASE-77', SmcSha256: sha256(doc.content) });
      expect(sha256(await readAll(await store.get(stored.storageKey)))).toBe(sha256(doc.content));
    } finally {
      store.close();
      await server.stop();
    }
  });

  test('on local disk: beside the evidence, readable back through the same store', async () => {
    const store = createEvidenceStore({ kind: 'local', dir: tempDir('docs'), maxBytes: 1000 });
    const [, log] = await recordDocuments(input);
    if (!log) throw new Error('no document');
    const stored = await store.putRecordDocument({ ...references, ...log });
    expect(stored.storageKey).toBe('CASE-77/SMC-2026-000042/SMC-2026-000042-investigation-log.docx');
    expect(sha256(await readAll(await store.get(stored.storageKey)))).toBe(sha256(log.content));
  });
});
