/** The HTTP API serves exactly lib/http/routes.ts, behind the right authorizer, logged and throttled. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS, API_THROTTLE } from '../../infra/constructs/http-api.ts';
import { routes } from '../../lib/http/routes.ts';
import { cognitoOf, logicalIdOf, type Synthesized, synthesize } from './synth.ts';

let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synthesize();
});

interface RouteResource {
  Properties: { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown; Target: unknown };
}

function routeResources(): Map<string, RouteResource> {
  const found = synthesized.template.findResources('AWS::ApiGatewayV2::Route') as Record<
    string,
    RouteResource
  >;
  return new Map(Object.values(found).map((route) => [route.Properties.RouteKey, route]));
}

const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('the routes', () => {
  it('include every route of lib/http/routes.ts, and nothing else', () => {
    expect([...routeResources().keys()].sort()).toEqual(routes.map(routeKey).sort());
  });

  it('keep path parameters as written, greedy ones included', () => {
    const keys = [...routeResources().keys()];

    expect(keys).toContain('GET /api/vouchers/{id}');
    expect(keys).toContain('GET /evidence/{key+}');
  });

  it('send each request to the function its entry names', () => {
    const { stack, template } = synthesized;
    const integrations = template.toJSON().Resources;
    for (const route of routes) {
      const target = routeResources().get(routeKey(route))?.Properties.Target as {
        'Fn::Join': [string, unknown[]];
      };
      const integrationId = (target['Fn::Join'][1][1] as { Ref: string }).Ref;
      const integrationUri = integrations[integrationId].Properties.IntegrationUri;

      expect(integrationUri, routeKey(route)).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack, stack.http.functions[route.function]), 'Arn'],
      });
    }
  });

  it('let API Gateway invoke each function by one permission for this API, not one per route', () => {
    const { stack, template } = synthesized;
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (permission) => permission.Properties.Principal === 'apigateway.amazonaws.com',
    );
    const apiId = logicalIdOf(stack, stack.http.api);

    expect(permissions).toHaveLength(Object.keys(stack.http.functions).length);
    for (const permission of permissions) {
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(apiId);
    }
  });

  // About 455 today: the next capability goes into a nested stack of its own (docs/runbook.md).
  it('keep the stack inside CloudFormation’s 500 resources, with room for a few more routes', () => {
    const resources = Object.keys(synthesized.template.toJSON().Resources).length;

    expect(resources).toBeLessThan(480);
  });

  it('put every jwt route behind the Cognito JWT authorizer', () => {
    const authorizers = synthesized.template.findResources('AWS::ApiGatewayV2::Authorizer');
    const [jwtAuthorizerId] = Object.keys(authorizers);
    for (const route of routes.filter((candidate) => candidate.auth === 'jwt')) {
      expect(routeResources().get(routeKey(route))?.Properties, routeKey(route)).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: jwtAuthorizerId },
      });
    }
  });

  it('leave public and session routes without an authorizer, /health included', () => {
    const open = routes.filter((route) => route.auth !== 'jwt');

    expect(open.map(routeKey)).toContain('GET /health');
    for (const route of open) {
      const properties = routeResources().get(routeKey(route))?.Properties;

      expect(properties?.AuthorizationType, routeKey(route)).toBe('NONE');
      expect(properties?.AuthorizerId, routeKey(route)).toBeUndefined();
    }
  });
});

describe('the JWT authorizer', () => {
  it('accepts only tokens the user pool issued for the app client', () => {
    const { stack } = synthesized;
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalIdOf(stack, cognitoOf(stack).client) }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: logicalIdOf(stack, cognitoOf(stack).userPool) },
            ],
          ],
        },
      },
    });
  });
});

describe('the default stage', () => {
  it('writes a JSON access log line per request to a log group kept a year', () => {
    const { stack, template } = synthesized;
    const logGroupId = logicalIdOf(stack, stack.http.accessLogs);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        Format: JSON.stringify(ACCESS_LOG_FIELDS),
      },
    });
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Properties: { RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  it('logs the request id, route, status and why a request failed', () => {
    expect(ACCESS_LOG_FIELDS).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
    });
  });

  it('throttles every route by default', () => {
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: {
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
      },
    });
  });
});

describe('the user pool', () => {
  const pool = () =>
    synthesized.template.toJSON().Resources[
      logicalIdOf(synthesized.stack, cognitoOf(synthesized.stack).userPool)
    ].Properties;

  it('lets nobody sign themselves up', () => {
    expect(pool().AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
  });

  it('signs people in by email, case-insensitively', () => {
    expect(pool().UsernameAttributes).toEqual(['email']);
    expect(pool().UsernameConfiguration).toEqual({ CaseSensitive: false });
  });

  it('requires a strong password and a second factor', () => {
    expect(pool().Policies.PasswordPolicy).toMatchObject({
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      RequireUppercase: true,
    });
    expect(pool().Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(pool().MfaConfiguration).toBe('ON');
  });

  it('enforces threat protection and resists deletion', () => {
    expect(pool().UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    expect(pool().DeletionProtection).toBe('ACTIVE');
  });

  it('has an app client for SRP sign-in, with no secret and no hint whether a user exists', () => {
    synthesized.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: logicalIdOf(synthesized.stack, cognitoOf(synthesized.stack).userPool) },
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
    });
    const client = Object.values(synthesized.template.findResources('AWS::Cognito::UserPoolClient'))[0];

    expect(client?.Properties.GenerateSecret).not.toBe(true);
  });

  it('lets the pages sign in by the authorization code flow only: no implicit grant, no client credentials', () => {
    const client = Object.values(synthesized.template.findResources('AWS::Cognito::UserPoolClient'))[0];

    expect(client?.Properties).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
    });
  });

  it('takes the callback and sign-out URLs from the context key fundflow:publicBaseUrl', () => {
    const custom = synthesize({
      checks: false,
      context: { 'fundflow:publicBaseUrl': 'https://fundflow.lianshang.example' },
    });
    const client = Object.values(custom.template.findResources('AWS::Cognito::UserPoolClient'))[0];

    expect(client?.Properties.CallbackURLs).toEqual(['https://fundflow.lianshang.example/auth/callback']);
    expect(client?.Properties.LogoutURLs).toEqual(['https://fundflow.lianshang.example/login']);
  });

  it('has a managed login domain with Cognito’s own style for the app client', () => {
    const { stack, template } = synthesized;
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: { Ref: logicalIdOf(stack, cognitoOf(stack).client) },
      UseCognitoProvidedValues: true,
    });
  });
});

describe('the outputs', () => {
  it('name the API URL, the user pool and its client, the table and the evidence bucket', () => {
    const { stack, template } = synthesized;
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(outputs.ApiUrl?.Value).toBeDefined();
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: logicalIdOf(stack, cognitoOf(stack).userPool) });
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: logicalIdOf(stack, cognitoOf(stack).client) });
    expect(outputs.TableName?.Value).toEqual({ Ref: logicalIdOf(stack, stack.data.table) });
    expect(outputs.EvidenceBucketName?.Value).toEqual({ Ref: logicalIdOf(stack, stack.data.evidenceBucket) });
  });
});
