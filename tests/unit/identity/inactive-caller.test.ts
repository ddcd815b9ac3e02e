/**
 * The policy table decides by role alone; a person made inactive in the directory is stopped before
 * it, where every API call is signed in. They keep their roles (an administrator included), so
 * nothing else would refuse them.
 */
import { randomBytes } from 'node:crypto';
import type { Directory } from '../../../src/app/ports';
import { AppError } from '../../../src/domain/errors';
import type { Person } from '../../../src/domain/roles';
import { createAuthenticator } from '../../../src/identity/authenticate';
import { DEMO_PEOPLE } from '../../../src/identity/demo-directory';
import { createLocalTokens } from '../../../src/identity/local-tokens';

function directoryOf(people: Person[]): Directory {
  return {
    get: async (id) => people.find((p) => p.id === id) ?? null,
    byAadObjectId: async (oid) => people.find((p) => p.aadObjectId === oid) ?? null,
    withRole: async (role) => people.filter((p) => p.active && p.roles.includes(role)),
    all: async () => people,
  };
}

/** A token whose header names RS256, as a Teams SSO token's does; the verifier below stands in for signature checks. */
const ssoShaped = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url')}.e30.c2ln`;

describe.each(['administrator', 'social_worker'] as const)('a %s made inactive in the directory', (role) => {
  const active = DEMO_PEOPLE.find((p) => p.roles.includes(role));
  if (!active) throw new Error(`The demo directory has no ${role}.`);
  const inactive: Person = { ...active, active: false };
  const local = createLocalTokens(randomBytes(32));
  const authenticate = createAuthenticator({
    directory: directoryOf([inactive]),
    local,
    teamsSso: async () => ({ aadObjectId: inactive.aadObjectId, tenantId: 'tenant' }),
  });

  test.each([
    ['a local token', () => local.issue(inactive.id)],
    ['a Teams SSO token', async () => ssoShaped],
  ])('is refused with %s, still holding the role', async (_kind, token) => {
    expect(inactive.roles).toContain(role);
    const refusal = authenticate(`Bearer ${await token()}`);
    await expect(refusal).rejects.toBeInstanceOf(AppError);
    await expect(refusal).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('is signed in again once active', async () => {
    const signIn = createAuthenticator({ directory: directoryOf([active]), local });
    await expect(signIn(`Bearer ${await local.issue(active.id)}`)).resolves.toMatchObject({ id: active.id });
  });
});
