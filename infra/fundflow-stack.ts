import { type CfnElement, CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FundflowAlarms } from './constructs/alarms.ts';
import { ApprovalWorkflow } from './constructs/approval-workflow.ts';
import { FundflowData } from './constructs/data.ts';
import { FundflowHttpApi } from './constructs/http-api.ts';
import { FundflowIdentity } from './constructs/identity.ts';
import { BucketConsumers } from './constructs/orders-inbox.ts';

/** fundflow's AWS topology. Business logic lives in lib/; this file only wires resources together. */
export class FundflowStack extends Stack {
  readonly data: FundflowData;
  readonly identity: FundflowIdentity;
  readonly http: FundflowHttpApi;
  readonly approval: ApprovalWorkflow;
  readonly alarms: FundflowAlarms;
  readonly bucketConsumers: BucketConsumers;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.data = new FundflowData(this, 'Data');
    this.identity = new FundflowIdentity(this, 'Identity');
    // The API first: the approval emails link to its URL.
    this.http = new FundflowHttpApi(this, 'Http', {
      userPool: this.identity.userPool,
      client: this.identity.client,
    });
    const shared = {
      table: this.data.table,
      evidenceBucket: this.data.evidenceBucket,
      mailFrom: this.node.tryGetContext('fundflow:mailFrom') ?? 'fundflow@lianshang.example',
      publicBaseUrl: this.http.api.apiEndpoint,
    };
    this.approval = new ApprovalWorkflow(this, 'Approval', shared);
    // Then the routes, each function granted what its entry in lib/http/routes.ts needs.
    const resources = {
      ...shared,
      linkKey: this.approval.linkKey,
      approvalStateMachineArn: this.approval.stateMachine.stateMachineArn,
    };
    this.http.addRoutes(resources);
    // Files dropped into the bucket (the orders inbox), each prefix its own function.
    this.bucketConsumers = new BucketConsumers(this, 'BucketConsumers', {
      ...resources,
      evidenceBucket: this.data.evidenceBucket,
    });
    this.alarms = new FundflowAlarms(this, 'Alarms', {
      approval: this.approval,
      alarmTopicArn: this.node.tryGetContext('fundflow:alarmTopicArn'),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.http.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.data.evidenceBucket.bucketName });
    new CfnOutput(this, 'ApprovalStateMachineArn', { value: this.approval.stateMachine.stateMachineArn });
    this.explainNagFindings();
  }

  /**
   * The cdk-nag findings accepted for the whole stack, each for one exact resource and with its
   * reason. Findings of one construct are acknowledged beside it (routes, roles, the state machine).
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
