/**
 * Need `sessions`: people's session cookies, checked against the sign-in provider's ID tokens — the
 * user pool's, or the company's OIDC provider's where there is no user pool (AWS China). Read from the
 * issuer (lib/identity/provider.ts, jose), not aws-jwt-verify's Cognito verifier, whose issuer is
 * always amazonaws.com (a pool's in a China region would be amazonaws.com.cn). RS256 is pinned there.
 */
import { SignInProvider } from '../../identity/provider.ts';
import { type Config, configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';
import { publicBaseUrl } from './public-base-url.ts';

/** The provider named by SIGN_IN_ISSUER and SIGN_IN_CLIENT_ID (needs `sessions` and `signIn`). */
export const signInProvider = (config: Config) =>
  new SignInProvider({
    issuer: configValue(config, 'SIGN_IN_ISSUER'),
    clientId: configValue(config, 'SIGN_IN_CLIENT_ID'),
  });

export const sessions: Adapter<'sessions'> = {
  provide: (config) => ({
    deps: {
      sessions: signInProvider(config).sessions(),
      publicBaseUrl: publicBaseUrl(config),
    },
  }),
};
