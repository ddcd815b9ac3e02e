/**
 * A local stand-in for the two places a bot's outbound token can come from, written from
 * Microsoft's documentation and recording every request so tests can check what was asked for.
 *
 * 1. Entra ID's token endpoint, client-credentials grant ("Microsoft identity platform and the
 *    OAuth 2.0 client credentials flow"): POST /{tenant}/oauth2/v2.0/token with a form body of
 *    "client_id", "scope" ("The value passed for the scope parameter in this request should be the
 *    resource identifier (application ID URI) of the resource you want, affixed with the .default
 *    suffix"), "client_secret" and "grant_type" ("Must be set to client_credentials"). The answer
 *    has "token_type", "expires_in" and "access_token".
 * 2. The App Service managed identity endpoint ("How to use managed identities for App Service"):
 *    GET {IDENTITY_ENDPOINT}?resource=…&api-version=2019-08-01&client_id=… with the header
 *    "X-IDENTITY-HEADER" ("The value of the IDENTITY_HEADER environment variable. This header is
 *    used to help mitigate server-side request forgery (SSRF) attacks"); "client_id" is "the
 *    client ID of the user-assigned identity to be used". The answer has "access_token",
 *    "expires_on" (seconds since the epoch), "resource", "token_type" and "client_id".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ClientCredentialsRequest {
  tenant: string;
  form: URLSearchParams;
}

export interface ManagedIdentityRequest {
  query: URLSearchParams;
  identityHeader: string | undefined;
}

export interface EntraStandIn {
  /** The authority host: tokens are at `${authorityHost}/{tenant}/oauth2/v2.0/token`. */
  authorityHost: string;
  /** What IDENTITY_ENDPOINT would hold on App Service. */
  identityEndpoint: string;
  identityHeader: string;
  tokenRequests: ClientCredentialsRequest[];
  managedIdentityRequests: ManagedIdentityRequest[];
  close(): Promise<void>;
}

export interface EntraOptions {
  /** The one app registration that may use the client-credentials grant. */
  client: { tenant: string; clientId: string; clientSecret: string; accessToken: string };
  /** The one user-assigned identity the App Service endpoint hands tokens for. */
  managedIdentity: { clientId: string; accessToken: string };
}

export async function startEntra(options: EntraOptions): Promise<EntraStandIn> {
  const tokenRequests: ClientCredentialsRequest[] = [];
  const managedIdentityRequests: ManagedIdentityRequest[] = [];
  const identityHeader = 'stand-in-identity-header';
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const send = (status: number, body: object) => {
        res.statusCode = status;
        res.end(JSON.stringify(body));
      };
      const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (req.method === 'POST' && tokenPath) {
        const form = new URLSearchParams(text);
        const tenant = decodeURIComponent(tokenPath[1] ?? '');
        tokenRequests.push({ tenant, form });
        const c = options.client;
        if (tenant !== c.tenant) return send(400, { error: 'invalid_request', error_description: 'AADSTS90002: Tenant not found.' });
        if (form.get('grant_type') !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' });
        if (form.get('client_id') !== c.clientId || form.get('client_secret') !== c.clientSecret) return send(401, { error: 'invalid_client' });
        if (!form.get('scope')?.endsWith('/.default')) return send(400, { error: 'invalid_scope' });
        return send(200, { token_type: 'Bearer', expires_in: 3599, access_token: c.accessToken });
      }
      if (req.method === 'GET' && url.pathname === '/msi/token') {
        const header = req.headers['x-identity-header'];
        managedIdentityRequests.push({ query: url.searchParams, identityHeader: Array.isArray(header) ? header[0] : header });
        if (header !== identityHeader) return send(401, { statusCode: 401, message: 'Unauthorized' });
        if (url.searchParams.get('api-version') !== '2019-08-01') return send(400, { statusCode: 400, message: 'Unsupported api-version' });
        const m = options.managedIdentity;
        if (url.searchParams.get('client_id') !== m.clientId) return send(400, { statusCode: 400, message: 'No managed identity with that client id is assigned' });
        const resource = url.searchParams.get('resource') ?? '';
        return send(200, { access_token: m.accessToken, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource, token_type: 'Bearer', client_id: m.clientId });
      }
      return send(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authorityHost: base,
    identityEndpoint: `${base}/msi/token`,
    identityHeader,
    tokenRequests,
    managedIdentityRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
