import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { readTlsMaterial } from './certs';

/** The Bot Connector's token issuer; inbound tokens carry it as `iss`. */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** A token-endpoint call as MSAL made it (form fields; the client secret is kept so tests can assert on it). */
export interface TokenRequest {
  path: string;
  form: Record<string, string>;
}

/** Local stand-in for login.botframework.com (OpenID + JWKS) and login.microsoftonline.com (MSAL authority + token). */
export interface OpenIdServer {
  /** https://localhost:P */
  origin: string;
  /** Inbound OpenID metadata URL; it has a random segment because botbuilder caches metadata per URL for 24 h. */
  metadataUrl: string;
  /** ToChannelFromBotLoginUrl for MSAL: https://localhost:P/tenant */
  loginUrl: string;
  /** MSAL knownAuthorities entry: localhost:P */
  authorityHost: string;
  kid: string;
  /** The signing key's public half as the PEM botbuilder verifies with (PKCS#1, what it builds from the JWK). */
  publicKeyPem: string;
  /** Endorsements served on every key (default ["msteams"]); tests may change them. */
  endorsements: string[];
  /** How many times the JWKS was fetched (botbuilder refetches on an unknown kid at most once an hour). */
  readonly jwksFetches: number;
  /** Adds another signing key to the JWKS (a key rotation) and returns its kid and private key. */
  addKey(): { kid: string; privateKey: KeyObject };
  /** The access token the token endpoint hands out; the connector must receive exactly this. */
  accessToken: string;
  /** Tokens handed out before accessToken, one per token request (a credential rotation, for 401 tests). */
  nextAccessTokens: string[];
  tokenRequests: TokenRequest[];
  signToken(claims: Record<string, unknown>, options?: SignOptions): string;
  close(): Promise<void>;
}

/** Options for signToken: another key or kid (forgery cases), a lifetime in seconds (negative: already expired). */
export interface SignOptions {
  key?: KeyObject;
  kid?: string;
  expiresIn?: number;
}

/** Generates an RSA key pair (for the server or for an attacker). */
export function generateRsaKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** Starts the https OpenID/JWKS/token server on 127.0.0.1 with a fresh signing key. */
export async function startOpenIdServer(): Promise<OpenIdServer> {
  const { privateKey, publicKey } = generateRsaKey();
  const kid = `test-${randomBytes(4).toString('hex')}`;
  const segment = randomBytes(6).toString('hex');
  const accessToken = `outbound-${randomBytes(12).toString('hex')}`;
  const tokenRequests: TokenRequest[] = [];
  const nextAccessTokens: string[] = [];
  const jwks = [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }];
  let jwksFetches = 0;
  let origin = '';
  const served: { endorsements: string[] } = { endorsements: ['msteams'] };

  const routes: Record<string, (req: IncomingMessage, body: string) => unknown> = {
    [`GET /${segment}/.well-known/openid-configuration`]: () => ({
      issuer: BOT_FRAMEWORK_ISSUER,
      jwks_uri: `${origin}/${segment}/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
    }),
    [`GET /${segment}/keys`]: () => {
      jwksFetches += 1;
      return { keys: jwks.map((key) => ({ ...key, endorsements: served.endorsements })) };
    },
    // msal-node 5 requires the issuer to equal the authority + /v2.0, so it names the host the client asked for
    // (localhost or 127.0.0.1; the test certificate covers both).
    'GET /tenant/v2.0/.well-known/openid-configuration': (req) => {
      const asked = `https://${req.headers.host ?? new URL(origin).host}`;
      return {
        issuer: `${asked}/tenant/v2.0`,
        token_endpoint: `${asked}/tenant/oauth2/v2.0/token`,
        authorization_endpoint: `${asked}/tenant/oauth2/v2.0/authorize`,
        jwks_uri: `${asked}/tenant/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
      };
    },
    'POST /tenant/oauth2/v2.0/token': (req, body) => {
      tokenRequests.push({ path: req.url ?? '', form: Object.fromEntries(new URLSearchParams(body)) });
      const issued = nextAccessTokens.shift() ?? accessToken;
      return { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: issued };
    },
  };

  const server: Server = createServer(readTlsMaterial(), (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const handler = routes[`${req.method ?? ''} ${path}`];
      res.setHeader('content-type', 'application/json');
      if (handler === undefined) {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: 'not_found' }));
        return;
      }
      res.end(JSON.stringify(handler(req, Buffer.concat(chunks).toString('utf8'))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `https://localhost:${port}`;

  return {
    origin,
    metadataUrl: `${origin}/${segment}/.well-known/openid-configuration`,
    loginUrl: `${origin}/tenant`,
    authorityHost: `localhost:${port}`,
    kid,
    publicKeyPem: publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    get endorsements() {
      return served.endorsements;
    },
    set endorsements(value: string[]) {
      served.endorsements = value;
    },
    get jwksFetches() {
      return jwksFetches;
    },
    addKey() {
      const next = generateRsaKey();
      const nextKid = `test-${randomBytes(4).toString('hex')}`;
      jwks.push({ ...next.publicKey.export({ format: 'jwk' }), kid: nextKid, use: 'sig', alg: 'RS256' });
      return { kid: nextKid, privateKey: next.privateKey };
    },
    accessToken,
    nextAccessTokens,
    tokenRequests,
    signToken(claims, options = {}) {
      const { exp, ...rest } = claims;
      const lifetime = options.expiresIn ?? 3600;
      const now = Math.floor(Date.now() / 1000);
      const payload = { iat: now - 60, nbf: now - 60, exp: typeof exp === 'number' ? exp : now + lifetime, ...rest };
      return jwt.sign(payload, options.key ?? privateKey, { algorithm: 'RS256', keyid: options.kid ?? kid });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
