import path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '../../lib/http/routes.ts';
import { EVIDENCE_PREFIX } from '../../lib/uploads/create-upload.ts';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface FundflowFunctionProps {
  spec: FunctionSpec;
  environment?: Record<string, string>;
}

/**
 * The house Lambda function: every default in one place (Node.js 24 on arm64, ESM bundle, minified
 * with source maps, X-Ray, a log group that outlives nothing it should not). Grants go through
 * `bindTable` / `bindEvidence`, which set the environment variable and the IAM permission together.
 */
export class FundflowFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: FundflowFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    super(scope, id, {
      entry: path.join(PROJECT_ROOT, props.spec.entry),
      handler: 'handler',
      description: props.spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.seconds(15),
      tracing: Tracing.ACTIVE,
      logGroup,
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
        mainFields: ['module', 'main'],
        tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
        // CommonJS dependencies inside an ESM bundle still call require().
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
  }

  /** Read or read-write access to the table, and TABLE_NAME, in one call. */
  bindTable(table: ITableV2, access: 'read' | 'readWrite'): this {
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /** SES sending from one identity (the sender's domain), MAIL_FROM, and the URL emails link to. */
  bindMail(mailFrom: string, publicBaseUrl: string): this {
    const domain = mailFrom.split('@')[1] ?? mailFrom;
    const stack = Stack.of(this);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain })],
      }),
    );
    this.addEnvironment('MAIL_FROM', mailFrom);
    this.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    return this;
  }

  /** Reading the approval-link key, its ARN, and the public URL links point to, in one call. */
  bindLinkKey(secret: ISecret, publicBaseUrl: string): this {
    secret.grantRead(this);
    this.addEnvironment('LINK_KEY_SECRET_ARN', secret.secretArn);
    this.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    return this;
  }

  /**
   * Evidence access, and EVIDENCE_BUCKET, in one call. Narrower than `grantRead`/`grantPut`: only
   * GetObject (which HeadObject needs) and PutObject, only under `evidence/`.
   */
  bindEvidence(bucket: IBucket, access: 'read' | 'write' | 'readWrite'): this {
    const actions = [
      ...(access !== 'write' ? ['s3:GetObject'] : []),
      ...(access !== 'read' ? ['s3:PutObject'] : []),
    ];
    this.addToRolePolicy(
      new PolicyStatement({ actions, resources: [bucket.arnForObjects(`${EVIDENCE_PREFIX}*`)] }),
    );
    this.addEnvironment('EVIDENCE_BUCKET', bucket.bucketName);
    return this;
  }
}
