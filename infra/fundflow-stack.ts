import { type CfnElement, CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApprovalWorkflow } from './constructs/approval-workflow.ts';
import { FundflowData } from './constructs/data.ts';
import { FundflowHttpApi } from './constructs/http-api.ts';
import { FundflowIdentity } from './constructs/identity.ts';

/** fundflow's AWS topology. Business logic lives in lib/; this file only wires resources together. */
export class FundflowStack extends Stack {
  readonly data: FundflowData;
  readonly identity: FundflowIdentity;
  readonly http: FundflowHttpApi;
  readonly approval: ApprovalWorkflow;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.data = new FundflowData(this, 'Data');
    this.identity = new FundflowIdentity(this, 'Identity');
    this.http = new FundflowHttpApi(this, 'Http', {
      table: this.data.table,
      evidenceBucket: this.data.evidenceBucket,
      userPool: this.identity.userPool,
      client: this.identity.client,
    });
    this.approval = new ApprovalWorkflow(this, 'Approval', {
      table: this.data.table,
      mailFrom: this.node.tryGetContext('fundflow:mailFrom') ?? 'fundflow@lianshang.example',
      publicBaseUrl: this.http.api.apiEndpoint,
    });
    this.http.bindWorkflow(this.approval);
    new CfnOutput(this, 'ApprovalStateMachineArn', { value: this.approval.stateMachine.stateMachineArn });

    new CfnOutput(this, 'ApiUrl', { value: this.http.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.data.evidenceBucket.bucketName });
    this.explainNagFindings();
  }

  /** Each accepted cdk-nag finding with the reason it is accepted. */
  private explainNagFindings(): void {
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'Lambda execution roles use AWSLambdaBasicExecutionRole (CloudWatch Logs only); every data permission is a scoped inline grant.',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    });
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.data.table.node.defaultChild as CfnElement)}.Arn>/index/*]`,
      reason:
        "Queries on the table's GSIs (vouchersByStatus, vouchersByApplicant) need the index ARNs of this one table.",
    });
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.data.evidenceBucket.node.defaultChild as CfnElement)}.Arn>/evidence/*]`,
      reason:
        'Evidence objects have generated keys under evidence/; access is limited to GetObject/PutObject on that prefix.',
    });
  }
}
