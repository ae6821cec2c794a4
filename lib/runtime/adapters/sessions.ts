/** Need `sessions`: people's session cookies, checked against the user pool's ID tokens. */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { decodeProtectedHeader } from 'jose';
import type { SessionVerifier } from '../../app.ts';
import { UnauthorizedError } from '../../domain/errors.ts';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';
import { publicBaseUrl } from './public-base-url.ts';

/** Cognito signs ID tokens with RS256 (its JWKS says so); nothing else is taken. */
const COGNITO_ALGORITHM = 'RS256';

/**
 * Session tokens checked by a Cognito verifier, with the algorithm pinned: aws-jwt-verify accepts any
 * algorithm it supports when a JWK does not name one, so the header is read first and anything but
 * RS256 is refused before the signature is looked at.
 */
export function cognitoSessions(verifier: {
  verify(token: string): Promise<{ sub: string; email?: unknown }>;
}): SessionVerifier {
  return {
    async verify(token) {
      try {
        const { alg } = decodeProtectedHeader(token);
        if (alg !== COGNITO_ALGORITHM)
          throw new Error(`token algorithm ${String(alg)} is not ${COGNITO_ALGORITHM}`);
        const payload = await verifier.verify(token);
        return { email: String(payload.email ?? ''), sub: payload.sub };
      } catch (error) {
        throw new UnauthorizedError('Your sign-in has expired; sign in again.', { cause: error });
      }
    },
  };
}

export const sessions: Adapter<'sessions'> = {
  provide: (config) => ({
    deps: {
      sessions: cognitoSessions(
        CognitoJwtVerifier.create({
          userPoolId: configValue(config, 'COGNITO_USER_POOL_ID'),
          clientId: configValue(config, 'COGNITO_CLIENT_ID'),
          tokenUse: 'id',
        }),
      ),
      publicBaseUrl: publicBaseUrl(config),
    },
  }),
};
