/**
 * Need `signIn`: the sign-in flow through the provider's login page (lib/identity/sign-in.ts). Its
 * cookie key is read from Secrets Manager before the function's first invocation, and again by the
 * next invocation when that failed (lib/runtime/lambda.ts), as the link key is; the provider's
 * discovery document is fetched at the first sign-in.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { OidcSignIn } from '../../identity/sign-in.ts';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';
import { publicBaseUrl } from './public-base-url.ts';
import { signInProvider } from './sessions.ts';

const secrets = new SecretsManagerClient({});

export const signIn: Adapter<'signIn'> = {
  provide: (config) => ({
    deps: { publicBaseUrl: publicBaseUrl(config) },
    setup: async () => {
      const secret = await secrets.send(
        new GetSecretValueCommand({ SecretId: configValue(config, 'SIGN_IN_KEY_SECRET_ARN') }),
      );
      // An empty key would seal cookies anyone can forge.
      if (!secret.SecretString) throw new Error('the sign-in cookie key secret is empty');
      return {
        signIn: new OidcSignIn({
          provider: signInProvider(config),
          publicBaseUrl: publicBaseUrl(config),
          cookieSecret: secret.SecretString,
          logoutEndpoint: config.SIGN_IN_LOGOUT_URL,
        }),
      };
    },
  }),
};
