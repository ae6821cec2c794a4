import { generateKeyPairSync } from 'node:crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { cognitoSessions } from '../../lib/runtime/adapters/sessions.ts';

const USER_POOL_ID = 'us-east-1_TestPool1';
const CLIENT_ID = 'fundflow-pages';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** The pool's verifier with its key cached, as Cognito publishes it — here without an `alg`. */
function sessions() {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: USER_POOL_ID,
    clientId: CLIENT_ID,
    tokenUse: 'id',
  });
  const { n, e } = publicKey.export({ format: 'jwk' });
  verifier.cacheJwks({ keys: [{ kty: 'RSA', n: n ?? '', e: e ?? '', kid: 'key-1', use: 'sig' }] });
  return cognitoSessions(verifier);
}

const idToken = (alg: string) =>
  new SignJWT({ email: 'li.na@lianshang.example', token_use: 'id' })
    .setProtectedHeader({ alg, kid: 'key-1' })
    .setSubject('li-na')
    .setIssuer(`https://cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}`)
    .setAudience(CLIENT_ID)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

describe('the Cognito session check', () => {
  it('takes an ID token of the pool signed with RS256', async () => {
    await expect(sessions().verify(await idToken('RS256'))).resolves.toEqual({
      email: 'li.na@lianshang.example',
      sub: 'li-na',
    });
  });

  it.each(['RS512', 'RS384', 'PS256'])(
    'refuses the same token signed with the pool’s key under %s',
    async (alg) => {
      await expect(sessions().verify(await idToken(alg))).rejects.toMatchObject({ statusCode: 401 });
    },
  );

  it('refuses a token whose header cannot be read', async () => {
    await expect(sessions().verify('not-a-token')).rejects.toMatchObject({ statusCode: 401 });
  });
});
