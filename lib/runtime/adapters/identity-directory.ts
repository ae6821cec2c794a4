/**
 * Need `identityDirectory`: lets people sign in or stops them (lib/admin/identity-directory.ts). With
 * a Cognito user pool (USER_POOL_ID) the function holds the grant of AdminCreateUser, AdminEnableUser
 * and AdminDisableUser on it, and creating a person invites their user, deactivating disables it
 * (lib/admin/cognito-directory.ts; its client loads on the first call, ../on-first-use.ts). Where
 * people sign in through the company's own OIDC provider (no pool, e.g. AWS China), fundflow cannot
 * reach the provider's users: each call is logged as the administrator's to-do.
 */
import { type IdentityDirectory, ManualDirectory } from '../../admin/identity-directory.ts';
import { logger } from '../../observability/logger.ts';
import type { Adapter } from '../lambda.ts';
import { onFirstUse } from '../on-first-use.ts';

export const identityDirectory: Adapter<'identityDirectory'> = {
  provide: (config) => {
    const userPoolId = config.USER_POOL_ID;
    if (!userPoolId) {
      return {
        deps: {
          identityDirectory: new ManualDirectory('the company\u2019s OIDC provider', (message, details) =>
            logger.warn(message, details),
          ),
        },
      };
    }
    return {
      deps: {
        identityDirectory: onFirstUse<IdentityDirectory>(async () => {
          const [{ CognitoIdentityProviderClient }, { CognitoDirectory }] = await Promise.all([
            import('@aws-sdk/client-cognito-identity-provider'),
            import('../../admin/cognito-directory.ts'),
          ]);
          return new CognitoDirectory(new CognitoIdentityProviderClient({}), userPoolId);
        }),
      },
    };
  },
};
