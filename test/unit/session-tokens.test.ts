/**
 * The pages' session check (SignInProvider.sessions(), lib/identity/provider.ts — the `sessions`
 * adapter in AWS): an ID token of the provider's app client, signed RS256 with a key of its JWKS, is
 * a session; the same person's token under any other algorithm, a token of another kind, or no
 * token at all is a 401 — against a provider on this machine, over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInProvider } from '../../lib/identity/provider.ts';
import { type StandInProvider, startStandInProvider } from '../support/oidc-provider.ts';

const CLIENT_ID = 'fundflow-pages';
let provider: StandInProvider;
let sessions: ReturnType<SignInProvider['sessions']>;

beforeAll(async () => {
  provider = await startStandInProvider({ clientId: CLIENT_ID, redirectUris: [], logoutUris: [] });
  sessions = new SignInProvider({ issuer: provider.issuer, clientId: CLIENT_ID }).sessions();
});

afterAll(() => provider.close());

describe('the session check', () => {
  it('takes an ID token of the provider signed with RS256, saying who it is and until when', async () => {
    const claims = await sessions.verify(await provider.idToken('li.na@lianshang.example'));

    expect(claims).toMatchObject({ email: 'li.na@lianshang.example', sub: 'sub-li.na@lianshang.example' });
    expect(claims.expiresAt?.getTime()).toBeGreaterThan(Date.now());
  });

  it.each(['RS512', 'RS384', 'PS256'])(
    'refuses the same token signed with the provider’s key under %s',
    async (alg) => {
      const token = await provider.idToken('li.na@lianshang.example', { alg });

      await expect(sessions.verify(token)).rejects.toMatchObject({ statusCode: 401 });
    },
  );

  it('refuses an access token of the provider: it is no session', async () => {
    const token = await provider.idToken('li.na@lianshang.example', { tokenUse: 'access' });

    await expect(sessions.verify(token)).rejects.toMatchObject({ statusCode: 401 });
  });

  it('refuses a token whose header cannot be read', async () => {
    await expect(sessions.verify('not-a-token')).rejects.toMatchObject({ statusCode: 401 });
  });
});
