/**
 * The identity directory on a Cognito user pool (lib/admin/identity-directory.ts): a person made
 * active gets a user whose username is their email (the pool signs in by email) and Cognito mails
 * the invitation with a temporary password; a person deactivated has their user disabled, so no new
 * sign-in or token refresh succeeds. Both converge: inviting a person who has a user enables it,
 * disabling one who never had a user does nothing — a repeated save after a half-failed one ends in
 * the same state.
 */
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityDirectory } from './identity-directory.ts';

export class CognitoDirectory implements IdentityDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async invite(person: { email: string; name: string }): Promise<void> {
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: person.email,
          UserAttributes: [
            { Name: 'email', Value: person.email },
            // The administrator typed the company address; the invitation proves it reaches them.
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: person.name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
      // Someone deactivated and now active again (or a save repeated): their user comes back.
      await this.client.send(
        new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: person.email }),
      );
    }
  }

  async disable(email: string): Promise<void> {
    try {
      await this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: email }));
    } catch (error) {
      // Never invited (a person from before the directory, or the OIDC era): nothing can sign in.
      if (!(error instanceof UserNotFoundException)) throw error;
    }
  }
}
