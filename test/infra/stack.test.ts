/**
 * The synthesized template has the properties the platform team relies on. Bundling is skipped
 * (FACTS.md); `npx cdk synth` bundles for real.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import type { FundflowStack } from '../../infra/fundflow-stack.ts';
import { type FunctionName, functions, routes } from '../../lib/http/routes.ts';
import { tableDefinition } from '../../lib/storage/table-definition.ts';

let app: App;
let stack: FundflowStack;
let template: Template;

type Statement = { Action: string | string[]; Resource: unknown };

beforeAll(() => {
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  ({ stack } = buildApp(app));
  template = Template.fromStack(stack);
});

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/** Every IAM action granted to a function's role. */
function actionsOf(name: FunctionName): string[] {
  const roleId = stack.getLogicalId(stack.http.functions[name].role?.node.defaultChild as never);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Statement[]).flatMap((statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    ),
  );
}

describe('the table', () => {
  it('has exactly the keys and indexes of the shared table definition', () => {
    const table = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))[0];
    const props = table?.Properties;

    expect(props.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(
      props.GlobalSecondaryIndexes.map(
        (index: { IndexName: string; KeySchema: { AttributeName: string }[] }) => [
          index.IndexName,
          index.KeySchema.map((key) => key.AttributeName),
        ],
      ),
    ).toEqual(
      tableDefinition.globalSecondaryIndexes.map((index) => [
        index.indexName,
        [index.partitionKey.name, index.sortKey.name],
      ]),
    );
    expect(props.TimeToLiveSpecification).toEqual({
      AttributeName: tableDefinition.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('keeps point-in-time recovery, KMS encryption and deletion protection on, and is retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });
});

describe('the evidence bucket', () => {
  it('is private, encrypted, versioned and access-logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: Match.anyValue() }),
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'evidence/' }),
    });
  });

  it('refuses every request that is not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.data.evidenceBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('the functions', () => {
  it('run Node.js 24 on arm64 with tracing, one per handler module', () => {
    for (const fn of Object.values(stack.http.functions)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Description: Match.anyValue(),
        Role: { 'Fn::GetAtt': [stack.getLogicalId(fn.role?.node.defaultChild as never), 'Arn'] },
      });
    }
    expect(Object.keys(stack.http.functions).sort()).toEqual(Object.keys(functions).sort());
  });

  it('get TABLE_NAME exactly when they need the table', () => {
    for (const [name, spec] of Object.entries(functions) as [
      FunctionName,
      (typeof functions)[FunctionName],
    ][]) {
      const needsTable = 'table' in spec.needs;
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: {
          'Fn::GetAtt': [
            stack.getLogicalId(stack.http.functions[name].role?.node.defaultChild as never),
            'Arn',
          ],
        },
        Environment: {
          Variables: needsTable
            ? Match.objectLike({ TABLE_NAME: { Ref: Match.anyValue() } })
            : Match.not(Match.objectLike({ TABLE_NAME: Match.anyValue() })),
        },
      });
    }
  });
});

describe('least privilege', () => {
  const writes = [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ];

  it('gives read-only functions no DynamoDB write action', () => {
    const readers = (Object.entries(functions) as [FunctionName, { needs: { table?: string } }][])
      .filter(([, spec]) => spec.needs.table === 'read')
      .map(([name]) => name);

    expect(readers.length).toBeGreaterThan(0);
    for (const name of readers) {
      expect(actionsOf(name).filter((action) => writes.includes(action))).toEqual([]);
      expect(actionsOf(name)).toContain('dynamodb:GetItem');
    }
  });

  it('gives the submitting function the right to write', () => {
    expect(actionsOf('submitVoucher')).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
  });

  it('gives the health check no access to data at all', () => {
    expect(
      actionsOf('health').filter((action) => action.startsWith('dynamodb:') || action.startsWith('s3:')),
    ).toEqual([]);
  });

  it('gives S3 access only to functions that handle evidence, and only object reads or writes', () => {
    for (const [name, spec] of Object.entries(functions) as [
      FunctionName,
      { needs: { evidence?: string } },
    ][]) {
      const s3Actions = actionsOf(name).filter((action) => action.startsWith('s3:'));
      if (!spec.needs.evidence) expect(s3Actions).toEqual([]);
      else
        expect(s3Actions.every((action) => action === 's3:GetObject' || action === 's3:PutObject')).toBe(
          true,
        );
    }
    expect(actionsOf('submitVoucher').filter((action) => action.startsWith('s3:'))).toEqual(['s3:GetObject']);
  });
});

describe('the HTTP API', () => {
  it('has every route of lib/http/routes.ts', () => {
    for (const route of routes) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
      });
    }
  });

  it('puts every jwt route behind the Cognito JWT authorizer, and /health behind none', () => {
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer', {
      Properties: { AuthorizerType: 'JWT' },
    });
    expect(Object.keys(authorizers)).toHaveLength(1);
    for (const route of routes) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
        AuthorizationType: route.auth === 'jwt' ? 'JWT' : 'NONE',
      });
    }
  });

  it('writes access logs for the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });

  it('lets nobody sign themselves up to the user pool', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no finding that is not acknowledged with a reason', () => {
    // The pack runs as a policy-validation plugin: synthesis fails on any unacknowledged finding.
    expect(() => app.synth({ force: true })).not.toThrow();
  });
});

describe('the approval workflow', () => {
  function statementsOf(fn: { role?: { node: { defaultChild?: unknown } } }): Statement[] {
    const roleId = stack.getLogicalId(fn.role?.node.defaultChild as never);
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
    });
    return Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
  }
  const actionsIn = (statement: Statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action];

  it('is a Standard state machine that logs every event, without execution data, and traces', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('waits for people with task tokens and branches on the recorded route', () => {
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    const definition = JSON.stringify(machine?.Properties.DefinitionString);

    expect(definition).toContain('lambda:invoke.waitForTaskToken');
    expect(definition).toContain('$.decisions.headOfMerchandising.requiresCeo');
    expect(definition).toContain('TimeoutSecondsPath');
  });

  it('lets only the functions that decide answer tasks, and only of this state machine', () => {
    const stateMachineName = `${stack.stackName}-Approval`;
    const all = { ...stack.http.functions, ...stack.approval.functions };
    const answering = Object.entries(all)
      .filter(([, fn]) => statementsOf(fn).flatMap(actionsIn).includes('states:SendTaskSuccess'))
      .map(([name]) => name)
      .sort();

    expect(answering).toEqual(['approvalPages', 'recordProxyApproval', 'requestApproval']);
    for (const name of answering) {
      const statement = statementsOf(all[name as keyof typeof all]).find((candidate) =>
        actionsIn(candidate).includes('states:SendTaskSuccess'),
      );
      expect(JSON.stringify(statement?.Resource)).toMatch(
        new RegExp(`(${stateMachineName}|ApprovalStateMachine)`),
      );
    }
  });

  it('lets the submitting functions start executions', () => {
    for (const fn of [stack.http.functions.submitVoucher, stack.http.functions.resubmitVoucher]) {
      expect(statementsOf(fn).flatMap(actionsIn)).toContain('states:StartExecution');
    }
    expect(statementsOf(stack.http.functions.getVoucher).flatMap(actionsIn)).not.toContain(
      'states:StartExecution',
    );
  });

  it('gives SES sending only to the functions that email', () => {
    const senders = Object.entries(stack.approval.functions)
      .filter(([, fn]) => statementsOf(fn).flatMap(actionsIn).includes('ses:SendEmail'))
      .map(([name]) => name)
      .sort();
    expect(senders).toEqual(['recordRejection', 'requestApproval']);
    const httpSenders = Object.entries(stack.http.functions)
      .filter(([, fn]) => statementsOf(fn).flatMap(actionsIn).includes('ses:SendEmail'))
      .map(([name]) => name)
      .sort();
    expect(httpSenders).toEqual(['countersignPages', 'recordProxyApproval']);
  });
});

describe('scheduled jobs', () => {
  it('runs the countersign reminder on Monday mornings in Asia/Shanghai', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
    });
  });
});

describe('emails', () => {
  it('gives every emailing function the sender and the URL its links point to', () => {
    const all = { ...stack.http.functions, ...stack.approval.functions, ...stack.approval.jobs };
    for (const fn of Object.values(all)) {
      const resource = template.findResources('AWS::Lambda::Function', {
        Properties: {
          Role: { 'Fn::GetAtt': [stack.getLogicalId(fn.role?.node.defaultChild as never), 'Arn'] },
        },
      });
      const variables = Object.values(resource)[0]?.Properties.Environment.Variables as Record<
        string,
        unknown
      >;
      if ('MAIL_FROM' in variables) expect(variables).toHaveProperty('PUBLIC_BASE_URL');
    }
  });
});
