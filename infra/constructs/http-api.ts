import { RemovalPolicy, Validations } from 'aws-cdk-lib';
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
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type FunctionName, type FunctionSpec, functions, routes } from '../../lib/http/routes.ts';
import type { ApprovalWorkflow } from './approval-workflow.ts';
import { FundflowFunction } from './fundflow-function.ts';

export interface FundflowHttpApiProps {
  table: ITableV2;
  evidenceBucket: IBucket;
  userPool: UserPool;
  client: UserPoolClient;
}

/**
 * The HTTP API and its functions, generated from lib/http/routes.ts — the list the local runtime
 * serves too. One function per handler module, with exactly the grants its entry lists; one route per
 * entry; `jwt` routes behind the Cognito JWT authorizer.
 */
export class FundflowHttpApi extends Construct {
  readonly api: HttpApi;
  readonly functions: Record<FunctionName, FundflowFunction>;
  private readonly needs: Record<FunctionName, FunctionSpec['needs']>;

  constructor(scope: Construct, id: string, props: FundflowHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { createDefaultStage: false, description: 'fundflow' });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });

    const authorizer = new HttpJwtAuthorizer(
      'CognitoJwt',
      `https://cognito-idp.${props.userPool.stack.region}.amazonaws.com/${props.userPool.userPoolId}`,
      { jwtAudience: [props.client.userPoolClientId] },
    );

    const built = {} as Record<FunctionName, FundflowFunction>;
    for (const [name, spec] of Object.entries(functions) as [
      FunctionName,
      (typeof functions)[FunctionName],
    ][]) {
      const fn = new FundflowFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, { spec });
      const needs: { table?: 'read' | 'readWrite'; evidence?: 'read' | 'write' | 'readWrite' } = spec.needs;
      if (needs.table) fn.bindTable(props.table, needs.table);
      if (needs.evidence) fn.bindEvidence(props.evidenceBucket, needs.evidence);
      if (routes.some((route) => route.function === name && route.auth === 'session')) {
        // Pages check the session cookie themselves (the JWT authorizer reads only the Authorization header).
        fn.addEnvironment('COGNITO_USER_POOL_ID', props.userPool.userPoolId);
        fn.addEnvironment('COGNITO_CLIENT_ID', props.client.userPoolClientId);
      }
      built[name] = fn;
    }
    this.functions = built;
    this.needs = Object.fromEntries(
      Object.entries(functions).map(([name, spec]) => [name, spec.needs]),
    ) as never;

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}Integration`, built[route.function]);
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
              ? 'Browser page: the handler verifies the Cognito ID token in the session cookie (the JWT authorizer reads only the Authorization header).'
              : 'Public by design: health check and sign-in/out pages carry no data.',
        });
      }
    }
  }

  /** The workflow grants the route table asks for: start executions, answer tasks, sign links, mail. */
  bindWorkflow(workflow: ApprovalWorkflow): void {
    for (const [name, needs] of Object.entries(this.needs) as [FunctionName, FunctionSpec['needs']][]) {
      const fn = this.functions[name];
      if (needs.startWorkflow) {
        workflow.stateMachine.grantStartExecution(fn);
        fn.addEnvironment('STATE_MACHINE_ARN', workflow.stateMachine.stateMachineArn);
      }
      if (needs.taskResponse) {
        workflow.stateMachine.grantTaskResponse(fn);
        fn.addEnvironment('STATE_MACHINE_ARN', workflow.stateMachine.stateMachineArn);
      }
      if (needs.linkKey) fn.bindLinkKey(workflow.linkKey, this.api.apiEndpoint);
      if (needs.mail) fn.bindMail(workflow.mailFrom, this.api.apiEndpoint);
    }
  }
}
