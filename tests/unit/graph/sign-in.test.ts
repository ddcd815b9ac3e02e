/** One sign-in to Graph per app registration, whoever in the process asks for it. */
import { graphSignIn, type AppCredentials, type TokenProvider } from '../../../src/graph';

const registration: AppCredentials = { tenantId: 'tenant-1', clientId: 'client-1', clientSecret: 'secret', authorityHost: 'https://login.microsoftonline.com' };

describe('graphSignIn', () => {
  it('gives evidence, the directory sync and the app installer one token provider for the same app registration', () => {
    const made: AppCredentials[] = [];
    const signIn = graphSignIn((credentials) => {
      made.push(credentials);
      const provider: TokenProvider = async () => `token for ${credentials.clientId}`;
      return provider;
    });
    const evidence = signIn({ ...registration, caCertificate: 'PEM' });
    const directory = signIn(registration);
    const installer = signIn({ ...registration, authorityHost: 'https://login.microsoftonline.com/' });
    expect(directory).toBe(evidence);
    expect(installer).toBe(evidence);
    expect(made).toHaveLength(1);
  });

  it('signs in separately for another tenant, app or authority', () => {
    const signIn = graphSignIn(() => async () => 'token');
    const first = signIn(registration);
    expect(signIn({ ...registration, tenantId: 'tenant-2' })).not.toBe(first);
    expect(signIn({ ...registration, clientId: 'client-2' })).not.toBe(first);
    expect(signIn({ ...registration, authorityHost: 'https://login.microsoftonline.us' })).not.toBe(first);
  });
});
