/**
 * The text an audit entry's hash is taken over is its contents as canonical JSON: bodyText writes
 * it member by member for speed, and must give exactly what canonicalJson gives, whatever the
 * characters in the members — or entries hashed before would no longer verify.
 */
import { bodyText, canonicalJson, type AuditBody } from '../../../src/audit';

const plain: AuditBody = {
  action: 'agree',
  actorId: 'tom.reid',
  actorRole: 'team_manager',
  at: '2026-11-30T10:15:00.123Z',
  detail: { version: 3, channel: 'card', nested: { b: [1, 'two', null], a: true } },
  fromState: 'awaiting_team_manager',
  httpRequestId: 'req-1',
  id: '7f0c2a4e-0000-4000-8000-000000000001',
  reason: null,
  requestId: 'request-1',
  toState: 'awaiting_service_director',
};

describe('bodyText', () => {
  it('is the canonical JSON of the contents', () => {
    expect(bodyText(plain)).toBe(canonicalJson(plain));
  });

  it.each([
    ['a quote and a backslash', 'She said "no" \\ twice'],
    ['control characters', 'line\nbreak\ttab\u0001\u001f'],
    ['an unpaired surrogate', 'broken \ud800 pair'],
    ['a paired surrogate and non-ASCII text', 'emoji 😀 and Zoë'],
    ['line and paragraph separators', 'a\u2028b\u2029c'],
  ])('escapes %s as JSON.stringify does', (_what, text) => {
    const body = { ...plain, reason: text, actorId: text };
    expect(bodyText(body)).toBe(canonicalJson(body));
  });

  it('leaves out members that are undefined, as canonicalJson does', () => {
    const body = { ...plain, reason: undefined, action: undefined } as unknown as AuditBody;
    expect(bodyText(body)).toBe(canonicalJson(body));
  });
});
