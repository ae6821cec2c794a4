import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EXPIRY_RULES } from '../../lib/evidence/lifecycle.ts';
import { type KeyAttribute, tableDefinition } from '../../lib/storage/table-definition.ts';

const attribute = (key: KeyAttribute) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * The one table and the evidence bucket.
 *
 * The table is built from `tableDefinition` (lib/storage/table-definition.ts), the same object the
 * local runtime and the tests use. Key schema: `pk`/`sk` (strings) for every item, e.g.
 * `VOUCHER#<id>`/`VOUCHER`, `VOUCHER#<id>`/`EVENT#<at>#<ulid>`; GSIs `vouchersByStatus`
 * (`statusPk`/`statusSk`) and `vouchersByApplicant` (`applicantPk`/`applicantSk`), each named after
 * the access pattern it serves; TTL on `expiresAt`; a KEYS_ONLY stream, which the workflow outbox's
 * dispatcher consumes (infra/constructs/stream-consumers.ts). Every item and access pattern:
 * docs/data-model.md.
 */
export class FundflowData extends Construct {
  readonly table: TableV2;
  readonly evidenceBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: attribute(tableDefinition.partitionKey),
      sortKey: attribute(tableDefinition.sortKey),
      globalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
      })),
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      dynamoStream: StreamViewType[tableDefinition.stream],
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-owned keys are the default; an AWS-managed KMS key puts every decryption in CloudTrail,
      // which an audit of payment records asks for, without the cost of running our own key.
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new Bucket(this, 'EvidenceAccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // ACLs off: S3 log delivery is allowed by a bucket policy
      // (cdk.json: @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy).
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.evidenceBucket = new Bucket(this, 'Evidence', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3: every read and write is already in the server access logs below, and presigned
      // uploads and downloads need no KMS grants.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Evidence of a payment is never lost to an overwrite or a delete.
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      removalPolicy: RemovalPolicy.RETAIN,
      // Only working objects expire (lib/evidence/lifecycle.ts, the rules the local runtime applies
      // too). The bucket is versioned, so an expiry leaves a delete marker over a noncurrent version:
      // the version goes a day later, and the marker, alone then, with the second rule.
      lifecycleRules: [
        ...EXPIRY_RULES.flatMap((rule) => [
          {
            id: rule.id,
            prefix: rule.prefix,
            expiration: Duration.days(rule.expireAfterDays),
            noncurrentVersionExpiration: Duration.days(1),
          },
          { id: `${rule.id}DeleteMarkers`, prefix: rule.prefix, expiredObjectDeleteMarker: true },
        ]),
        // No upload here is multipart (presigned PUTs and POSTs are single requests); one begun and
        // never finished by some other client is not evidence and would be billed for ever.
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }
}
