import type { ApiHarness } from '../../support/api-server';

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
