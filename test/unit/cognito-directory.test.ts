/**
 * The identity directory on a Cognito user pool (lib/admin/cognito-directory.ts): what an
 * administrator's save asks of Cognito, and how a repeated or half-failed save converges. Cognito's
 * answers are injected with aws-sdk-client-mock (an adapter test: the faults are Cognito's own).
 */
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoDirectory } from '../../lib/admin/cognito-directory.ts';

const POOL = 'ap-east-1_TEST';
const cognito = mockClient(CognitoIdentityProviderClient);
const directory = () =>
  new CognitoDirectory(new CognitoIdentityProviderClient({ region: 'ap-east-1' }), POOL);

beforeEach(() => cognito.reset());

describe('inviting a person', () => {
  it('creates their user by email, verified, with their name, and has Cognito mail the invitation', async () => {
    cognito.on(AdminCreateUserCommand).resolves({});

    await directory().invite({ email: 'chen.jie@lianshang.example', name: '陈杰' });

    expect(cognito.commandCalls(AdminCreateUserCommand).map((call) => call.args[0].input)).toEqual([
      {
        UserPoolId: POOL,
        Username: 'chen.jie@lianshang.example',
        UserAttributes: [
          { Name: 'email', Value: 'chen.jie@lianshang.example' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: '陈杰' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      },
    ]);
  });

  it('enables the user of a person who has one already (reactivated, or a save repeated)', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    cognito.on(AdminEnableUserCommand).resolves({});

    await directory().invite({ email: 'chen.jie@lianshang.example', name: '陈杰' });

    expect(cognito.commandCalls(AdminEnableUserCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: 'chen.jie@lianshang.example' },
    ]);
  });

  it('fails as Cognito failed for anything else, so the save is not made', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new Error('Rate exceeded'));

    await expect(directory().invite({ email: 'chen.jie@lianshang.example', name: '陈杰' })).rejects.toThrow(
      'Rate exceeded',
    );
    expect(cognito.commandCalls(AdminEnableUserCommand)).toHaveLength(0);
  });
});

describe('disabling a person', () => {
  it('disables their user', async () => {
    cognito.on(AdminDisableUserCommand).resolves({});

    await directory().disable('chen.jie@lianshang.example');

    expect(cognito.commandCalls(AdminDisableUserCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: 'chen.jie@lianshang.example' },
    ]);
  });

  it('does nothing for a person who never had a user, and fails on any other error', async () => {
    cognito
      .on(AdminDisableUserCommand)
      .rejectsOnce(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }))
      .rejectsOnce(new Error('Rate exceeded'));

    await expect(directory().disable('never.invited@lianshang.example')).resolves.toBeUndefined();
    await expect(directory().disable('chen.jie@lianshang.example')).rejects.toThrow('Rate exceeded');
  });
});
