/**
 * Need `linkKey`: the HMAC key of approval links, from Secrets Manager — fetched before the function's
 * first invocation, and again by the next invocation when that failed (lib/runtime/lambda.ts).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';
import { publicBaseUrl } from './public-base-url.ts';

const secrets = new SecretsManagerClient({});

export const linkKey: Adapter<'linkKey'> = {
  provide: (config) => ({
    deps: { publicBaseUrl: publicBaseUrl(config) },
    setup: async () => {
      const secret = await secrets.send(
        new GetSecretValueCommand({ SecretId: configValue(config, 'LINK_KEY_SECRET_ARN') }),
      );
      // An empty key would sign links anyone can forge.
      if (!secret.SecretString) throw new Error('the approval-link secret is empty');
      return { linkKey: secret.SecretString };
    },
  }),
};
