/**
 * A Cognito-shaped OpenID Connect provider on this machine, for the sign-in tests: the issuer at
 * `/<poolId>` with its discovery document and JWKS, managed login's `/oauth2/authorize`,
 * `/oauth2/token` (authorization code with PKCE S256, refresh token), `/oauth2/revoke` and Cognito's
 * own `/logout` (client_id, logout_uri) — no `end_session_endpoint`, as Cognito. ID tokens are RS256,
 * signed with a key made here. "Signing in" is `signInAs(email)`: the next authorization answers
 * with a code for that person.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';

export interface StandInProvider {
  issuer: string;
  clientId: string;
  /** The query of every authorization request and every logout, in order. */
  authorizations: URLSearchParams[];
  logouts: URLSearchParams[];
  revoked: string[];
  signInAs(email: string): void;
  /**
   * An ID token for this person signed with the provider's own key, under another algorithm or
   * another `token_use` if asked — what a forger holding no key could not make, but a provider
   * misconfigured (or a token of another kind) could.
   */
  idToken(email: string, options?: { alg?: string; tokenUse?: string }): Promise<string>;
  /** The life of the ID tokens it issues from now on. */
  idTokenSeconds: number;
  close(): Promise<void>;
}

export async function startStandInProvider(options: {
  clientId: string;
  redirectUris: string[];
  logoutUris: string[];
}): Promise<StandInProvider> {
  // A node KeyObject: it signs under any RSA algorithm (RS256 for its tokens, others for idToken's).
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { email: string; challenge: string; redirectUri: string; nonce?: string }>();
  const refreshTokens = new Map<string, string>();
  let person = '';
  let base = '';
  const poolPath = '/us-east-1_StandIn';

  const provider: StandInProvider = {
    issuer: '',
    clientId: options.clientId,
    authorizations: [],
    logouts: [],
    revoked: [],
    idTokenSeconds: 3600,
    signInAs: (email) => {
      person = email;
    },
    idToken: (email, { alg, tokenUse } = {}) => idToken(email, undefined, alg, tokenUse),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const idToken = (email: string, nonce?: string, alg = 'RS256', tokenUse = 'id') =>
    new SignJWT({ email, token_use: tokenUse, ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg, kid: 'test-key' })
      .setIssuer(provider.issuer)
      .setAudience(options.clientId)
      .setSubject(`sub-${email}`)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + provider.idTokenSeconds)
      .sign(privateKey);

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const url = new URL(request.url ?? '/', base);
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (url.pathname === `${poolPath}/.well-known/openid-configuration`) {
        return json(200, {
          issuer: provider.issuer,
          authorization_endpoint: `${base}/oauth2/authorize`,
          token_endpoint: `${base}/oauth2/token`,
          revocation_endpoint: `${base}/oauth2/revoke`,
          jwks_uri: `${provider.issuer}/.well-known/jwks.json`,
          response_types_supported: ['code', 'token'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        });
      }
      if (url.pathname === `${poolPath}/.well-known/jwks.json`) return json(200, { keys: [jwk] });
      if (url.pathname === '/oauth2/authorize') {
        const query = url.searchParams;
        provider.authorizations.push(query);
        const redirectUri = query.get('redirect_uri') ?? '';
        if (query.get('client_id') !== options.clientId || !options.redirectUris.includes(redirectUri)) {
          return json(400, { error: 'invalid_request' });
        }
        const code = randomUUID();
        const nonce = query.get('nonce');
        codes.set(code, {
          email: person,
          challenge: query.get('code_challenge') ?? '',
          redirectUri,
          ...(nonce ? { nonce } : {}),
        });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', query.get('state') ?? '');
        response.writeHead(302, { location: back.href });
        return response.end();
      }
      if (url.pathname === '/oauth2/token' && request.method === 'POST') {
        if (form.get('client_id') !== options.clientId) return json(400, { error: 'invalid_client' });
        if (form.get('grant_type') === 'authorization_code') {
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri')) {
            return json(400, { error: 'invalid_grant' });
          }
          const refreshToken = randomUUID();
          refreshTokens.set(refreshToken, grant.email);
          return json(200, {
            id_token: await idToken(grant.email, grant.nonce),
            access_token: randomUUID(),
            refresh_token: refreshToken,
            token_type: 'Bearer',
            expires_in: provider.idTokenSeconds,
          });
        }
        if (form.get('grant_type') === 'refresh_token') {
          const email = refreshTokens.get(form.get('refresh_token') ?? '');
          if (!email) return json(400, { error: 'invalid_grant' });
          // Cognito: a new ID and access token, the same refresh token (not returned).
          return json(200, {
            id_token: await idToken(email),
            access_token: randomUUID(),
            token_type: 'Bearer',
            expires_in: provider.idTokenSeconds,
          });
        }
        return json(400, { error: 'unsupported_grant_type' });
      }
      if (url.pathname === '/oauth2/revoke' && request.method === 'POST') {
        const token = form.get('token') ?? '';
        provider.revoked.push(token);
        refreshTokens.delete(token);
        response.writeHead(200);
        return response.end();
      }
      if (url.pathname === '/logout') {
        provider.logouts.push(url.searchParams);
        const logoutUri = url.searchParams.get('logout_uri') ?? '';
        if (
          url.searchParams.get('client_id') !== options.clientId ||
          !options.logoutUris.includes(logoutUri)
        ) {
          return json(400, { error: 'invalid_request' });
        }
        response.writeHead(302, { location: logoutUri });
        return response.end();
      }
      json(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider.issuer = `${base}${poolPath}`;
  return provider;
}
