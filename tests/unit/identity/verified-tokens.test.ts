/**
 * A bearer token's signature is checked once and the result kept until the token expires; the
 * person it names is still looked up, and must still be active, on every call.
 */
import { randomBytes } from 'node:crypto';
import type { Directory } from '../../../src/app/ports';
import type { Person } from '../../../src/domain/roles';
import { createAuthenticator } from '../../../src/identity/authenticate';
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import { createLocalTokens } from '../../../src/identity/local-tokens';

const worker = DEMO_PEOPLE.find((p) => p.roles.includes('social_worker'));
if (!worker) throw new Error('The demo directory has no social worker.');

function setUp(lifetimeSeconds: number) {
  let person: Person = worker!;
  const directory: Directory = {
    get: async (id) => (id === person.id ? person : null),
    byAadObjectId: async () => null,
    withRole: async () => [],
    all: async () => [person],
  };
  const tokens = createLocalTokens(randomBytes(32), lifetimeSeconds);
  const verified: string[] = [];
  const local = { issue: tokens.issue, verify: async (token: string) => (verified.push(token), tokens.verify(token)) };
  let now = Date.now();
  const authenticate = createAuthenticator({ directory, local, now: () => now });
  return {
    authenticate,
    issue: () => tokens.issue(person.id),
    verified,
    deactivate: () => (person = { ...person, active: false }),
    later: (ms: number) => (now += ms),
  };
}

describe('a verified token', () => {
  it('is not verified again while it lasts, and still signs in the same person', async () => {
    const t = setUp(3600);
    const token = await t.issue();
    await expect(t.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ id: worker!.id });
    await expect(t.authenticate(`Bearer ${token}`)).resolves.toMatchObject({ id: worker!.id });
    expect(t.verified).toEqual([token]);
  });

  it('still refuses a person made inactive since it was verified', async () => {
    const t = setUp(3600);
    const token = await t.issue();
    await t.authenticate(`Bearer ${token}`);
    t.deactivate();
    await expect(t.authenticate(`Bearer ${token}`)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('is verified again once it has expired', async () => {
    const t = setUp(3600);
    const token = await t.issue();
    await t.authenticate(`Bearer ${token}`);
    t.later(3601_000);
    await t.authenticate(`Bearer ${token}`).catch(() => undefined);
    expect(t.verified).toEqual([token, token]);
  });

  it('is one token: another with one character changed is verified, and refused', async () => {
    const t = setUp(3600);
    const token = await t.issue();
    await t.authenticate(`Bearer ${token}`);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(t.authenticate(`Bearer ${tampered}`)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(t.verified).toEqual([token, tampered]);
  });
});
