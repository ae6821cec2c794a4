import {
  type CfnElement,
  CfnOutput,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { bucketConsumers, pascalCase, scheduledJobs, streamConsumers } from '../lib/workflow/catalogue.ts';
import { FundflowAlarms } from './constructs/alarms.ts';
import { BucketConsumers } from './constructs/bucket-consumers.ts';
import { FundflowData } from './constructs/data.ts';
import type { FundflowResources } from './constructs/fundflow-function.ts';
import { FundflowHttpApi } from './constructs/http-api.ts';
import { FundflowIdentity } from './constructs/identity.ts';
import { LinkKey } from './constructs/link-key.ts';
import { ScheduledJobs } from './constructs/scheduled-jobs.ts';
import { FundflowStateMachine, stateMachineArns } from './constructs/state-machine.ts';
import { StreamConsumers } from './constructs/stream-consumers.ts';
import { type Workflows, workflows } from './workflows.ts';

export interface FundflowStackProps extends StackProps {
  /** The state machines to build (default: the catalogue's, infra/workflows.ts). */
  workflows?: Workflows;
}

/**
 * fundflow's AWS topology. Business logic lives in lib/; this file only wires resources together, and
 * what it wires comes from the catalogues: routes (lib/http/routes.ts), state machines, scheduled jobs
 * stream consumers and bucket consumers (lib/workflow/catalogue.ts).
 */
export class FundflowStack extends Stack {
  readonly data: FundflowData;
  readonly identity: FundflowIdentity;
  readonly http: FundflowHttpApi;
  readonly linkKey: LinkKey;
  /** One per state machine of the catalogue, by name. */
  readonly workflows: Record<string, FundflowStateMachine> = {};
  readonly jobs: ScheduledJobs;
  readonly stream: StreamConsumers;
  readonly alarms: FundflowAlarms;
  /** The company SMTP server's credentials, with `fundflow:mailer` = `smtp`; SES otherwise. */
  readonly smtpCredentials: ISecret | undefined;
  /** The consumers of files put into the evidence bucket (the orders inbox), by name. */
  readonly bucketConsumers: BucketConsumers;

  constructor(scope: Construct, id: string, props: FundflowStackProps = {}) {
    super(scope, id, props);
    const built = props.workflows ?? workflows;
    this.data = new FundflowData(this, 'Data');
    // The API first: the approval emails and the sign-in callback link to its URL — or to the
    // company's own domain in front of it (context `fundflow:publicBaseUrl`, runbook "Deploy").
    this.http = new FundflowHttpApi(this, 'Http');
    const publicBaseUrl: string =
      this.node.tryGetContext('fundflow:publicBaseUrl') ?? this.http.api.apiEndpoint;
    this.identity = new FundflowIdentity(this, 'Identity', { publicBaseUrl });
    this.http.authorizeWith(this.identity.signIn);
    this.smtpCredentials = this.mailTransport();
    this.linkKey = new LinkKey(this, 'LinkKey');
    // Everything a function may be granted, by the `needs` of its spec.
    const resources: FundflowResources = {
      table: this.data.table,
      evidenceBucket: this.data.evidenceBucket,
      mailFrom: this.node.tryGetContext('fundflow:mailFrom') ?? 'fundflow@lianshang.example',
      smtpCredentials: this.smtpCredentials,
      publicBaseUrl,
      linkKey: this.linkKey.secret,
      stateMachineArns: stateMachineArns(this, built),
      signIn: this.identity.signIn,
      userPool: this.identity.userPool,
    };
    for (const [name, workflow] of Object.entries(built)) {
      this.workflows[name] = new FundflowStateMachine(this, `${pascalCase(name)}Workflow`, {
        name,
        workflow,
        resources,
      });
    }
    this.jobs = new ScheduledJobs(this, 'Jobs', { jobs: scheduledJobs, resources });
    this.stream = new StreamConsumers(this, 'Stream', {
      table: this.data.table,
      consumers: streamConsumers,
      resources,
    });
    // Files put into the evidence bucket under a consumer's prefix (the orders inbox).
    this.bucketConsumers = new BucketConsumers(this, 'BucketConsumers', {
      bucket: this.data.evidenceBucket,
      consumers: bucketConsumers,
      resources,
    });
    // Then the routes, each function granted what its entry in lib/http/routes.ts needs.
    this.http.addRoutes(resources);
    this.alarms = new FundflowAlarms(this, 'Alarms', {
      workflows: Object.values(this.workflows),
      jobDeadLetters: this.jobs.deadLetters,
      streamFailures: this.stream.failures,
      bucketConsumerDeadLetters: this.bucketConsumers.deadLetters,
      alarmTopicArn: this.node.tryGetContext('fundflow:alarmTopicArn'),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.http.api.apiEndpoint });
    if (this.identity.userPool && this.identity.client && this.identity.domain) {
      new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId });
      new CfnOutput(this, 'ManagedLoginUrl', { value: this.identity.domain.baseUrl() });
    }
    if (this.smtpCredentials) {
      new CfnOutput(this, 'SmtpCredentialsSecretArn', { value: this.smtpCredentials.secretArn });
    }
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.data.evidenceBucket.bucketName });
    for (const [name, machine] of Object.entries(this.workflows)) {
      new CfnOutput(this, `${pascalCase(name)}StateMachineArn`, {
        value: machine.stateMachine.stateMachineArn,
      });
    }
    this.explainNagFindings();
  }

  /**
   * Context `fundflow:mailer`: `ses` (the default) or `smtp`, the company's own server — where SES
   * does not exist (AWS's China regions). SMTP's host, port, user and password live in a secret: the
   * one named by `fundflow:smtpSecretArn`, or one made here for the operator to fill (runbook).
   */
  private mailTransport(): ISecret | undefined {
    const mailer = this.node.tryGetContext('fundflow:mailer') ?? 'ses';
    if (mailer === 'ses') {
      if (!Token.isUnresolved(this.region) && this.region.startsWith('cn-')) {
        throw new Error(
          `SES is not available in ${this.region}: deploy with -c fundflow:mailer=smtp (docs/runbook.md "Deploy").`,
        );
      }
      return undefined;
    }
    if (mailer !== 'smtp') throw new Error(`fundflow:mailer is ses or smtp, not ${String(mailer)}`);
    const existing = this.node.tryGetContext('fundflow:smtpSecretArn');
    if (typeof existing === 'string') return Secret.fromSecretCompleteArn(this, 'SmtpCredentials', existing);
    const secret = new Secret(this, 'SmtpCredentials', {
      description: 'fundflow: the company SMTP server (JSON: host, port, username, password, tls)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({
          host: 'smtp.example.com',
          port: 465,
          username: '',
          tls: 'implicit',
        }),
        generateStringKey: 'password',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The SMTP password belongs to the company mail server; it is changed there and put here by hand (runbook).',
    });
    return secret;
  }

  /**
   * The cdk-nag findings accepted for the whole stack, each for one exact resource and with its
   * reason. Findings of one construct are acknowledged beside it (routes, roles, the state machines).
   */
  private explainNagFindings(): void {
    const arnOf = (construct: Construct) =>
      `<${this.getLogicalId(construct.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arnOf(this.data.table)}/index/*]`,
      reason:
        "Queries on the table's GSIs (vouchersByStatus, vouchersByApplicant) need the index ARNs of this one table (TableV2's grant adds them).",
    });
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arnOf(this.data.evidenceBucket)}/evidence/*]`,
      reason:
        'Evidence objects have generated keys under evidence/; the grant is GetObject and/or PutObject on that prefix only.',
    });
  }
}
