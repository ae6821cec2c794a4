import path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '../../lib/http/routes.ts';
import { EVIDENCE_PREFIX } from '../../lib/uploads/upload-keys.ts';
import type { SignInResources } from './identity.ts';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

type Needs = FunctionSpec['needs'];

/** The DynamoDB actions of `needs.table`. TransactGetItems needs GetItem; TransactWriteItems the writes. */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;

/** Everything a function may be granted, by the `needs` of its spec (lib/http/routes.ts). */
export interface FundflowResources {
  table: ITableV2;
  evidenceBucket: IBucket;
  /** The sender address; SES identities are its domain and the address itself. */
  mailFrom: string;
  /**
   * Mail through the company's SMTP server instead of SES (context `fundflow:mailer` = `smtp`): the
   * secret holding its host, port, user and password. Absent: SES.
   */
  smtpCredentials?: ISecret | undefined;
  /** The sign-in provider of the pages (need `signIn`). */
  signIn?: SignInResources | undefined;
  /** The URL emails link to. */
  publicBaseUrl: string;
  /** The HMAC key of approval links. */
  linkKey: ISecret;
  /**
   * The approval state machine's ARN, built from its name: the state machine refers to its own task
   * functions, so they cannot refer back to it.
   */
  approvalStateMachineArn: string;
}

export interface FundflowFunctionProps {
  spec: FunctionSpec;
  environment?: Record<string, string>;
}

/**
 * The house Lambda function: every default in one place (Node.js 24 on arm64, an ESM bundle,
 * minified with source maps, X-Ray, its own log group kept for a year). Its role carries no managed
 * policy: it may write to its own log group and nothing else until a `bind…` call grants more.
 * Each `bind…` call sets the IAM permission and the environment variable together, so a function
 * can never know of a resource it may not use, nor hold a grant it has no name for.
 */
export class FundflowFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: FundflowFunctionProps) {
    // Payment records: a year of logs, kept when the stack goes.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Instead of AWSLambdaBasicExecutionRole (log groups and streams of the whole account).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `fundflow: ${props.spec.entry}`,
    });
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords accept no resource-level permissions.',
    });
    super(scope, id, {
      entry: path.join(PROJECT_ROOT, props.spec.entry),
      handler: 'handler',
      description: props.spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      // Below API Gateway's 30 s integration limit; a handler slower than this is a bug.
      timeout: Duration.seconds(15),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'fundflow',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings, not a copy of every source file.
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // The root tsconfig: JSX for preact (react-jsx), and package.json `imports` (#lib/*).
        tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
        // Bundle the AWS SDK too: the versions in package-lock.json, the ones the tests ran, rather
        // than whatever the runtime ships (it lags, and lacks packages such as lib-dynamodb).
        externalModules: [],
        // CommonJS dependencies inside an ESM bundle still call require().
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
  }

  /**
   * Every grant a spec's `needs` asks for, from one table of binders: a new kind of need does not
   * compile until it is given a binder here.
   */
  bindNeeds(needs: Needs, resources: FundflowResources): this {
    const binders: { [K in keyof Needs]-?: (value: NonNullable<Needs[K]>) => void } = {
      table: (access) => this.bindTable(resources.table, access),
      evidence: (access) => this.bindEvidence(resources.evidenceBucket, access),
      mail: () => this.bindMail(resources.mailFrom, resources.publicBaseUrl, resources.smtpCredentials),
      linkKey: () => this.bindLinkKey(resources.linkKey, resources.publicBaseUrl),
      signIn: () => {
        if (!resources.signIn) throw new Error(`${this.node.path} needs signIn, and no provider was given`);
        this.bindSignIn(resources.signIn, resources.publicBaseUrl);
      },
      startWorkflow: () => this.bindApprovalWorkflow(resources.approvalStateMachineArn, 'start'),
      taskResponse: () => this.bindApprovalWorkflow(resources.approvalStateMachineArn, 'answer'),
    };
    for (const need of Object.keys(needs) as (keyof Needs)[]) {
      const value = needs[need];
      if (value !== undefined) (binders[need] as (value: unknown) => void)(value);
    }
    return this;
  }

  /**
   * Read or read-write access to the table and its indexes, and TABLE_NAME, in one call. Narrower
   * than `grantReadData`/`grantReadWriteData`: no Scan (DESIGN.md decision 6: none on a request
   * path), no DescribeTable, no streams.
   */
  bindTable(table: ITableV2, access: 'read' | 'readWrite'): this {
    table.grant(this, ...TABLE_ACTIONS.read, ...(access === 'readWrite' ? TABLE_ACTIONS.write : []));
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /**
   * Evidence access, and EVIDENCE_BUCKET, in one call. Narrower than `grantRead`/`grantPut`: only
   * GetObject (which HeadObject needs) and PutObject, only under `evidence/`. Readers also get
   * ListBucket: without it S3 answers 403 instead of 404 for a key that does not exist, and a
   * voucher citing a missing upload would be a 500 instead of a clear 4xx.
   */
  bindEvidence(bucket: IBucket, access: 'read' | 'write' | 'readWrite'): this {
    const reads = access !== 'write';
    const writes = access !== 'read';
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...(reads ? ['s3:GetObject'] : []), ...(writes ? ['s3:PutObject'] : [])],
        resources: [bucket.arnForObjects(`${EVIDENCE_PREFIX}*`)],
      }),
    );
    if (reads) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      );
    }
    this.addEnvironment('EVIDENCE_BUCKET', bucket.bucketName);
    return this;
  }

  /**
   * SES sending as MAIL_FROM (its domain's identity, or the address's own) — or, with the company's
   * SMTP server, reading its credentials' secret (SMTP_SECRET_ARN) and no SES at all —, MAIL_FROM
   * itself, and PUBLIC_BASE_URL, the URL the emails link to.
   */
  bindMail(mailFrom: string, publicBaseUrl: string, smtpCredentials?: ISecret): this {
    this.addEnvironment('MAIL_FROM', mailFrom);
    this.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    if (smtpCredentials) {
      smtpCredentials.grantRead(this);
      this.addEnvironment('MAIL_TRANSPORT', 'smtp');
      this.addEnvironment('SMTP_SECRET_ARN', smtpCredentials.secretArn);
      return this;
    }
    this.addEnvironment('MAIL_TRANSPORT', 'ses');
    const domain = mailFrom.split('@')[1] ?? mailFrom;
    const stack = Stack.of(this);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [...new Set([domain, mailFrom])].map((identity) =>
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
        ),
      }),
    );
    return this;
  }

  /** Reading the approval-link key, LINK_KEY_SECRET_ARN, and PUBLIC_BASE_URL, in one call. */
  bindLinkKey(secret: ISecret, publicBaseUrl: string): this {
    secret.grantRead(this);
    this.addEnvironment('LINK_KEY_SECRET_ARN', secret.secretArn);
    this.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    return this;
  }

  /**
   * Signing people in (lib/identity): the provider's issuer and app client (SIGN_IN_ISSUER,
   * SIGN_IN_CLIENT_ID), Cognito's logout endpoint (SIGN_IN_LOGOUT_URL), reading the cookie key
   * (SIGN_IN_KEY_SECRET_ARN), and PUBLIC_BASE_URL, the callback's origin.
   */
  bindSignIn(signIn: SignInResources, publicBaseUrl: string): this {
    signIn.cookieKey.grantRead(this);
    this.addEnvironment('SIGN_IN_ISSUER', signIn.issuer);
    this.addEnvironment('SIGN_IN_CLIENT_ID', signIn.clientId);
    if (signIn.logoutEndpoint) this.addEnvironment('SIGN_IN_LOGOUT_URL', signIn.logoutEndpoint);
    this.addEnvironment('SIGN_IN_KEY_SECRET_ARN', signIn.cookieKey.secretArn);
    this.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    return this;
  }

  /**
   * Starting executions of the approval state machine, or answering its waiting tasks
   * (SendTaskSuccess/SendTaskFailure), and STATE_MACHINE_ARN, in one call.
   */
  bindApprovalWorkflow(stateMachineArn: string, access: 'start' | 'answer'): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions:
          access === 'start'
            ? ['states:StartExecution']
            : ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [stateMachineArn],
      }),
    );
    this.addEnvironment('STATE_MACHINE_ARN', stateMachineArn);
    return this;
  }
}

/** The ARN a state machine of this name will have in this stack's account and region. */
export function stateMachineArnByName(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
