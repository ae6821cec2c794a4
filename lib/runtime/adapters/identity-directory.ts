/**
 * Need `identityDirectory`: lets people sign in or stops them (lib/admin/identity-directory.ts). With
 * a Cognito user pool (USER_POOL_ID) the function holds the grant of AdminCreateUser, AdminEnableUser
 * and AdminDisableUser on it; until the Cognito client is a dependency, the calls are logged as the
 * administrator's to-do, as they are for the company's own OIDC provider.
 */
import { ManualDirectory } from '../../admin/identity-directory.ts';
import { logger } from '../../observability/logger.ts';
import type { Adapter } from '../lambda.ts';

export const identityDirectory: Adapter<'identityDirectory'> = {
  provide: (config) => ({
    deps: {
      identityDirectory: new ManualDirectory(
        config.USER_POOL_ID ? `Cognito user pool ${config.USER_POOL_ID}` : 'the company\u2019s OIDC provider',
        (message, details) => logger.warn(message, details),
      ),
    },
  }),
};
