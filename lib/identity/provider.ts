/**
 * The sign-in provider the pages trust: the Cognito user pool (its managed login) in AWS global
 * regions, or the company's own OpenID Connect provider where the pool is not available (AWS China;
 * docs/runbook.md "Deploy"). Both are read the same way, from the issuer's discovery document, with
 * `openid-client` — fetched once per container, and again by the next request when it failed.
 */

import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { Claims, SessionVerifier } from '../app.ts';
import { UnauthorizedError } from '../domain/errors.ts';

export interface ProviderSettings {
  /** The issuer (`iss` of its tokens), e.g. `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  issuer: string;
  /** The app client: the `aud` of its ID tokens. Public (no secret): the code is bound by PKCE. */
  clientId: string;
}

/** Cognito signs ID tokens with RS256 (its JWKS says so); nothing else is taken. */
export const ID_TOKEN_ALGORITHMS = ['RS256'];

/**
 * Plain http only to this machine's own loopback (the tests' stand-in provider, RFC 8252's loopback
 * rule); any other issuer must be https, which openid-client enforces by default.
 */
export function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

export class SignInProvider {
  private configuration: Promise<oidc.Configuration> | undefined;
  private keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(readonly settings: ProviderSettings) {}

  /** The discovered configuration; a failed discovery is tried again by the next caller. */
  config(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      const issuer = new URL(this.settings.issuer);
      this.configuration = oidc
        .discovery(issuer, this.settings.clientId, undefined, oidc.None(), {
          ...(isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
          timeout: 5,
        })
        .catch((error: unknown) => {
          this.configuration = undefined;
          throw error;
        });
    }
    return this.configuration;
  }

  /**
   * The session verifier of the pages: the ID token in the session cookie, its signature checked
   * against the issuer's JWKS (RS256 only), its issuer, audience and expiry. A Cognito access token
   * (`token_use` access) is no session. Expired or forged: UnauthorizedError (the page signs in
   * again); the provider unreachable is a failure of ours and is not hidden.
   */
  sessions(): SessionVerifier {
    return {
      verify: async (token: string): Promise<Claims> => {
        const config = await this.config();
        this.keys ??= createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri ?? ''), {
          timeoutDuration: 5000,
        });
        let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
        try {
          ({ payload } = await jwtVerify(token, this.keys, {
            issuer: config.serverMetadata().issuer,
            audience: this.settings.clientId,
            algorithms: ID_TOKEN_ALGORITHMS,
            requiredClaims: ['exp', 'sub'],
          }));
        } catch (error) {
          // The keys not fetched in time, or the network: ours, not the caller's.
          if (!(error instanceof joseErrors.JOSEError) || error instanceof joseErrors.JWKSTimeout)
            throw error;
          throw new UnauthorizedError('Your sign-in has expired; sign in again.', { cause: error });
        }
        // A Cognito access token (`token_use` access) is no session.
        if (payload.token_use !== undefined && payload.token_use !== 'id') {
          throw new UnauthorizedError('Sign in again.');
        }
        return {
          email: typeof payload.email === 'string' ? payload.email : '',
          sub: String(payload.sub),
          expiresAt: new Date((payload.exp ?? 0) * 1000),
        };
      },
    };
  }
}
