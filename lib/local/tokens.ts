/**
 * Local sign-in tokens (DESIGN.md decision 12): the dev login issues a JWT of the same shape as a
 * Cognito ID token (`sub`, `email`, `token_use: id`), signed with a key generated into the data folder.
 */
import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Claims, SessionVerifier } from '../app.ts';
import { UnauthorizedError } from '../domain/errors.ts';

const ISSUER = 'fundflow-local';
const AUDIENCE = 'fundflow-local';
const ALGORITHM = 'HS256';

export class LocalTokens implements SessionVerifier {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly now: () => Date,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(email: string): Promise<string> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ email, token_use: 'id' })
      .setProtectedHeader({ alg: ALGORITHM })
      .setSubject(createHash('sha256').update(email).digest('hex').slice(0, 32))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 12 * 3600)
      .sign(this.key);
  }

  async verify(token: string): Promise<Claims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        // Pinned: the key signs HS256 only; a token naming any other algorithm is refused unread.
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: this.now(),
      });
      if (typeof payload.email !== 'string' || typeof payload.sub !== 'string')
        throw new Error('claims missing');
      return { email: payload.email, sub: payload.sub };
    } catch (error) {
      throw new UnauthorizedError('Your sign-in is not valid or has expired; sign in again.', {
        cause: error,
      });
    }
  }
}
