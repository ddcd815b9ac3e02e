import type { ApiHarness } from '../../support/api-server';
import { withSupervisionNote } from '../../support/action-body';

export function requestBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    caseReference: 'CM-1001',
    children: [{ name: 'Child A', dateOfBirth: '2015-04-01' }],
    concernCategories: ['relationship_with_abusive_adult'],
    concernDetails: 'Mother says she has separated from a violent partner',
    justification: 'Checks whether the separation is real; home visits inconclusive',
    subjects: [
      { kind: 'service_user', name: 'Jane Doe', relationshipToChild: 'Mother', area: 'Wakefield' },
      { kind: 'unknown_associate', description: 'Man seen in recent photographs with the child' },
    ],
    period: { from: '2026-06-01', to: '2026-11-01' },
    monitoring: null,
    neededBy: '2026-12-20',
    ...overrides,
  };
}

/** A real 1×1 PNG. */
export const PNG_BYTES = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);

export async function uploadEvidence(api: ApiHarness, token: string, requestId: string, metadata: Record<string, unknown>, bytes: Buffer, name: string) {
  const form = new FormData();
  form.append(
    'metadata',
    JSON.stringify({ sourceUrl: 'https://www.facebook.com/jane.doe/photos/1', capturedAt: '2026-11-25T10:30:00Z', description: 'Photograph with the named adult', publiclyVisible: true, ...metadata }),
  );
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const response = await fetch(`${api.url}/api/requests/${requestId}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { error?: { code: string; message?: string; fields?: Record<string, string> } } };
}

/** A request authorised, claimed and confirmed, with a search session started: ready for evidence. */
export async function searchingRequest(api: ApiHarness, accessWorker = 'imran.malik') {
  const [osw, tm, sd, aaw] = await Promise.all([api.token('amelia.hart'), api.token('tom.reid'), api.token('sarah.mitchell'), api.token(accessWorker)]);
  const created = await api.call('POST', '/api/requests', { token: osw, body: requestBody() });
  const id = created.body.id as string;
  const steps: [string, string, Record<string, unknown>][] = [
    [osw, 'submit', {}],
    [tm, 'agree', {}],
    [sd, 'authorise', {}],
    [aaw, 'claim', {}],
    [aaw, 'confirm-legitimacy', {}],
  ];
  let version = 1;
  for (const [token, action, body] of steps) {
    const r = await api.call('POST', `/api/requests/${id}/actions/${action}`, { token, body: { version, ...withSupervisionNote(action, body) } });
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
    version = r.body.version as number;
  }
  const session = await api.call('POST', `/api/requests/${id}/search-sessions`, { token: aaw, body: { corporateAccount: true } });
  if (session.status !== 201) throw new Error(`search session: ${session.status}`);
  return { id, version, subjectId: created.body.subjects?.[0]?.id ?? '', tokens: { osw, tm, sd, aaw } };
}

export const EVIDENCE_METADATA = { sourceUrl: 'https://www.facebook.com/jane.doe/photos/1', capturedAt: '2026-11-25T10:30:00Z', description: 'Photograph with the named adult', publiclyVisible: true };

/** A multipart body written by hand, so tests control the order, number and shape of the parts. */
export function multipartBody(boundary: string, parts: { name: string; value: Buffer | string; fileName?: string }[], options: { close?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.fileName ? `; filename="${part.fileName}"` : ''}`;
    const type = part.fileName ? 'content-type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  if (options.close ?? true) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
