/**
 * A local stand-in for the Bot Framework's OpenID metadata and signing keys, and a signer of
 * tokens as the Bot Connector issues them, so token validation is tested without Microsoft's cloud.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
  endorsements: string[];
}

export async function makeSigningKey(kid: string, endorsements = ['msteams', 'webchat']): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, publicKey, endorsements };
}

export interface BotFrameworkKeyServer {
  metadataUrl: string;
  metadataRequests: number;
  close(): Promise<void>;
}

/**
 * Serves /v1/.well-known/openidconfiguration and /v1/keys with the given (published) keys, as the
 * doc's steps 2 and 3 describe them: the metadata's "jwks_uri" names the keys document, and "the
 * response body specifies the document in the JWK format but also includes an additional property
 * for each key: endorsements", the channel ids the key may sign for.
 */
export async function startKeyServer(published: SigningKey[]): Promise<BotFrameworkKeyServer> {
  const jwks = { keys: await Promise.all(published.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, kty: 'RSA', use: 'sig', endorsements: k.endorsements }))) };
  let base = '';
  const state = { metadataRequests: 0 };
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      state.metadataRequests += 1;
      res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/v1/keys') {
      res.end(JSON.stringify(jwks));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    get metadataRequests() {
      return state.metadataRequests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TokenSpec {
  key: SigningKey;
  appId: string;
  serviceUrl?: string | null;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for a token already expired; null for none at all. */
  expiresIn?: number | null;
  /** Seconds from now for the nbf claim (default a minute ago). */
  notBefore?: number;
  kid?: string;
  extra?: JWTPayload;
}

/**
 * A token shaped as the Bot Connector sends it. Claims as "Authentication with the Bot Connector
 * API" names them (step 4, "Verify the JWT token"):
 * - iss: "The token contains an "issuer" claim with value of https://api.botframework.com."
 * - aud: "The token contains an "audience" claim with a value equal to the bot's Microsoft App ID."
 * - exp, nbf: "The token is within its validity period. Industry-standard clock-skew is 5 minutes."
 * - serviceurl: "The token contains a "serviceUrl" claim with value that matches the serviceUrl
 *   property at the root of the Activity object of the incoming request." In the tokens the
 *   connector issues the claim is spelt in lower case, which is how botbuilder's
 *   AuthenticationConstants.ServiceUrlClaim reads it.
 */
export async function signConnectorToken(spec: TokenSpec): Promise<string> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = { ...spec.extra };
  if (spec.serviceUrl !== null) claims.serviceurl = spec.serviceUrl ?? 'https://smba.trafficmanager.net/uk/';
  const signed = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: spec.kid ?? spec.key.kid, typ: 'JWT' })
    .setIssuer(spec.issuer ?? 'https://api.botframework.com')
    .setAudience(spec.audience ?? spec.appId)
    .setIssuedAt(nowSeconds - 60)
    .setNotBefore(nowSeconds + (spec.notBefore ?? -60));
  if (spec.expiresIn !== null) signed.setExpirationTime(nowSeconds + (spec.expiresIn ?? 3600));
  return signed.sign(spec.key.privateKey);
}
