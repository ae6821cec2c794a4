import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FunctionName, functions, routes } from '../../lib/http/routes.ts';
import { FundflowFunction, type FundflowResources } from './fundflow-function.ts';
import type { SignInResources } from './identity.ts';

/**
 * One JSON line per request, with HTTP API's own variables: who (the token's subject, never the
 * token), what, the answer, and why a request failed before or in its handler.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  subject: '$context.authorizer.claims.sub',
};

/** Default-stage throttling: far above a finance team's traffic, far below a runaway client's. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 };

/**
 * The HTTP API: its `$default` stage (access-logged, throttled) and the Cognito JWT authorizer. Its
 * functions and routes are generated from lib/http/routes.ts by `addRoutes`, once everything they
 * may be granted exists (the workflows' emails link to the API's URL).
 */
export class FundflowHttpApi extends Construct {
  readonly api: HttpApi;
  readonly accessLogs: LogGroup;
  /** Set by `authorizeWith`, once the sign-in provider exists (its URLs need the API's). */
  private authorizer: HttpJwtAuthorizer | undefined;
  /** One function per entry of `functions` in lib/http/routes.ts, filled by `addRoutes`. */
  readonly functions = {} as Record<FunctionName, FundflowFunction>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { createDefaultStage: false, description: 'fundflow' });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      throttle: API_THROTTLE,
    });
  }

  /** The JWT authorizer of the `jwt` routes: the sign-in provider's tokens for its app client. */
  authorizeWith(signIn: SignInResources): void {
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', signIn.issuer, { jwtAudience: [signIn.clientId] });
  }

  /**
   * One function per entry of `functions` (granted exactly what its `needs` list), one route per
   * entry of `routes`: `jwt` routes behind the Cognito JWT authorizer; `none` and `session` routes
   * without one (session pages verify the provider's ID token in their cookie themselves: their
   * function's needs name `sessions`, which sets SIGN_IN_ISSUER and SIGN_IN_CLIENT_ID).
   */
  addRoutes(resources: FundflowResources): void {
    const { authorizer } = this;
    if (!authorizer) throw new Error('authorizeWith the sign-in provider before addRoutes');
    for (const [name, spec] of Object.entries(functions) as [
      FunctionName,
      (typeof functions)[FunctionName],
    ][]) {
      const fn = new FundflowFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, { spec });
      fn.bindNeeds(spec.needs, resources);
      this.functions[name] = fn;
    }

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        // One invoke permission per function, for this API (`<api>/*/*/*`), not one per route: with
        // ~125 routes the per-route permissions alone took a quarter of CloudFormation's 500
        // resources per stack. Which path reaches which function is still the routes' to say.
        integration = new HttpLambdaIntegration(
          `${route.function}Integration`,
          this.functions[route.function],
          { scopePermissionToRoute: false },
        );
        integrations.set(route.function, integration);
      }
      const httpRoute = new HttpRoute(this, `${route.method}${route.path}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        ...(route.auth === 'jwt' ? { authorizer } : {}),
      });
      if (route.auth !== 'jwt') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.auth === 'session'
              ? 'Browser page: the handler verifies the sign-in provider’s ID token in the session cookie (a JWT authorizer reads only the Authorization header, which a browser navigation does not send).'
              : route.auth === 'link'
                ? 'Email-link page: its HMAC-signed, expiring link is the credential, and its forms carry the link’s nonce (both checked by the handler).'
                : 'Public by design: the health check and the sign-in and sign-out pages.',
        });
      }
    }
  }
}
