/**
 * The disclosure bundle as a ZIP: an index document, then per request its Investigation Request
 * and Log (regenerated from what may be disclosed), its evidence files with their SHA-256, and its
 * audit entries.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DisclosureBundle } from '../app/disclosures/disclosure-content';
import { formatDate, formatDateTime } from '../domain/dates';
import { recordDocuments } from '../evidence/documents';

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_');

export async function disclosureZip(bundle: DisclosureBundle, readEvidence: (storageKey: string) => Promise<Readable>): Promise<Buffer> {
  // Loaded when first used, not on every start of the server.
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  const { record, people } = bundle;
  const q = record.query;
  const index: string[] = [
    'SUBJECT ACCESS DISCLOSURE — Social Media Checks',
    '',
    `Disclosure ${record.id}`,
    `Searched by ${people[record.requestedBy] ?? record.requestedBy} on ${formatDateTime(record.requestedAt)}; bundle made ${formatDateTime(bundle.generatedAt.toISOString())}.`,
    `Person: ${q.name}${q.dateOfBirth ? `, born ${formatDate(q.dateOfBirth)}` : ''}${q.profileLink ? `, profile ${q.profileLink}` : ''}.`,
    'Searched: the names, other names and dates of birth of the people each request is about, their profile links, and the profile links recorded in findings.',
    'Not searched: free text — concerns, notes, reasons, conditions, findings, further persons identified, evidence descriptions. Search it by hand before answering that nothing is held.',
    '',
  ];
  if (bundle.requests.length === 0) {
    index.push('No request names this person among the people it is about, by name, other name or profile link.');
  } else {
    index.push(
      `Records are held in ${bundle.requests.length} request${bundle.requests.length === 1 ? '' : 's'}. In the request and log documents the other people a request is about, and the children, are withheld.`,
      'NOT withheld — review and redact by hand before release: free text in the documents (the concern, notes, conditions, findings, reasons) and the audit entries (audit-entries.json) are as recorded and may name other people.',
      '',
    );
  }
  for (const item of bundle.requests) {
    const ref = item.request.reference;
    const folder = zip.folder(safe(ref));
    if (!folder) continue;
    index.push(`${ref}`);
    const documents = await recordDocuments({ request: item.request, evidence: item.evidence, searchSessions: item.searchSessions, people, generatedAt: bundle.generatedAt });
    for (const doc of documents) {
      if (doc.fileName.endsWith('investigation-log.docx') && !item.request.log) continue;
      folder.file(doc.fileName, doc.content);
      index.push(`  ${doc.fileName}  sha256 ${createHash('sha256').update(doc.content).digest('hex')}`);
    }
    for (const evidence of item.evidence) {
      const content = await bytes(await readEvidence(evidence.storageKey));
      const name = `evidence/${safe(evidence.fileName)}`;
      folder.file(name, content);
      const actual = createHash('sha256').update(content).digest('hex');
      index.push(`  ${name}  sha256 ${actual}${actual === evidence.sha256 ? '' : ` (recorded ${evidence.sha256}: DIFFERS)`}  captured ${formatDateTime(evidence.capturedAt)}  source ${evidence.sourceUrl}`);
    }
    folder.file('audit-entries.json', JSON.stringify(item.audit, null, 2));
    index.push(`  audit-entries.json  ${item.audit.length} entries`, '');
  }
  zip.file('index.txt', `${index.join('\r\n')}\r\n`);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
