import {
  ArnFormat,
  AssetHashType,
  type CfnResource,
  DockerImage,
  Duration,
  RemovalPolicy,
  Size,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { FunctionSpec, WorkflowAccess } from '../../lib/http/routes.ts';
import { EVIDENCE_PREFIX } from '../../lib/uploads/upload-keys.ts';
import { stateMachineArnKey } from '../../lib/workflow/catalogue.ts';
import { bundleFunction, PROJECT_ROOT } from './bundling.ts';
import type { SignInResources } from './identity.ts';

export { PROJECT_ROOT };

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
  /** The sign-in provider of the pages (needs `sessions` and `signIn`). */
  signIn: SignInResources;
  /** The URL emails link to. */
  publicBaseUrl: string;
  /** The Cognito user pool people sign in with; absent with the company's OIDC provider. */
  userPool?: IUserPool | undefined;
  /** The HMAC key of approval links. */
  linkKey: ISecret;
  /**
   * Every state machine's ARN by catalogue name, built from its name: a state machine refers to its
   * own task functions, so they cannot refer back to it.
   */
  stateMachineArns: Readonly<Record<string, string>>;
}

/**
 * The CloudFormation metadata key naming a function's handler module (its spec's `entry`): the local
 * runtime reads which handler a Task state runs from the synthesized template itself.
 */
export const ENTRY_METADATA = 'fundflow:entry';

/**
 * The environment every function starts with, before its needs add theirs. No
 * `NODE_OPTIONS=--enable-source-maps`: it parses every source map at each cold start; stacks are
 * mapped when an error is formatted instead (lib/observability/stack-traces.ts).
 */
export const HOUSE_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'fundflow',
} as const;

export interface FundflowFunctionProps {
  spec: FunctionSpec;
  environment?: Record<string, string>;
}

/**
 * The house Lambda function: every default in one place (Node.js 24 on arm64, an ESM bundle split
 * at its dynamic imports, minified with source maps read when an error's stack is formatted — ./bundling.ts,
 * lib/observability/stack-traces.ts —, X-Ray, its own log group kept
 * for a year). Its role carries no managed
 * policy: it may write to its own log group and nothing else until a `bind…` call grants more.
 * Each `bind…` call sets the IAM permission and the environment variable together, so a function
 * can never know of a resource it may not use, nor hold a grant it has no name for.
 */
export class FundflowFunction extends LambdaFunction {
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
      code: Code.fromAsset(PROJECT_ROOT, {
        // As NodejsFunction: the hash of the bundle (a fixed one while tests skip bundling).
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never pulled: esbuild runs here (tryBundle); the command names the entry for the asset cache.
          image: DockerImage.fromRegistry('dummy'),
          command: ['esbuild', props.spec.entry],
          local: {
            tryBundle: (outputDir) => {
              bundleFunction(props.spec.entry, outputDir);
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      description: props.spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.spec.limits?.memoryMb ?? 1024,
      // Below API Gateway's 30 s integration limit; a handler slower than this is a bug — but a
      // workflow task that reads a week of files says how long it may take (FunctionSpec.limits).
      timeout: Duration.seconds(props.spec.limits?.timeoutSeconds ?? 15),
      ...(props.spec.limits?.tmpMb ? { ephemeralStorageSize: Size.mebibytes(props.spec.limits.tmpMb) } : {}),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: { ...HOUSE_ENVIRONMENT, ...props.environment },
    });
    (this.node.defaultChild as CfnResource).addMetadata(ENTRY_METADATA, props.spec.entry);
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
      sessions: () => this.bindSessions(resources.signIn, resources.publicBaseUrl),
      signIn: () => this.bindSignIn(resources.signIn, resources.publicBaseUrl),
      workflows: (access) => this.bindWorkflows(resources.stateMachineArns, access),
      identityDirectory: () => this.bindIdentityDirectory(resources.userPool),
    };
    for (const need of Object.keys(needs) as (keyof Needs)[]) {
      const value = needs[need];
      if (value !== undefined) (binders[need] as (value: unknown) => void)(value);
    }
    return this;
  }

  /**
   * Need `identityDirectory`: creating a person invites their Cognito user, deactivating disables it
   * (lib/admin/identity-directory.ts) — on the one user pool, and USER_POOL_ID. With the company's
   * OIDC provider there is no pool: no grant, no key.
   */
  bindIdentityDirectory(userPool: IUserPool | undefined): this {
    if (!userPool) return this;
    userPool.grant(
      this,
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminEnableUser',
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminGetUser',
    );
    this.addEnvironment('USER_POOL_ID', userPool.userPoolId);
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
   * Verifying people's session cookies (the sign-in provider's ID tokens): SIGN_IN_ISSUER,
   * SIGN_IN_CLIENT_ID, and PUBLIC_BASE_URL, the one origin the pages' forms may come from. No IAM:
   * the verifier reads the provider's public keys.
   */
  bindSessions(signIn: SignInResources, publicBaseUrl: string): this {
    this.addEnvironment('SIGN_IN_ISSUER', signIn.issuer);
    this.addEnvironment('SIGN_IN_CLIENT_ID', signIn.clientId);
    this.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    return this;
  }

  /**
   * For each state machine named: starting its executions, answering its waiting tasks
   * (SendTaskSuccess/SendTaskFailure), or both, and its STATE_MACHINE_ARN_<NAME>, in one call.
   */
  bindWorkflows(
    stateMachineArns: Readonly<Record<string, string>>,
    access: Readonly<Partial<Record<string, WorkflowAccess>>>,
  ): this {
    for (const [name, allowed] of Object.entries(access)) {
      const stateMachineArn = stateMachineArns[name];
      if (!stateMachineArn || !allowed)
        throw new Error(`no state machine ${name} (lib/workflow/catalogue.ts)`);
      this.addToRolePolicy(
        new PolicyStatement({
          actions: [
            ...(allowed === 'answer' ? [] : ['states:StartExecution']),
            ...(allowed === 'start' ? [] : ['states:SendTaskSuccess', 'states:SendTaskFailure']),
          ],
          resources: [stateMachineArn],
        }),
      );
      this.addEnvironment(stateMachineArnKey(name), stateMachineArn);
    }
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
