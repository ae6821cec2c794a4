/** The table and the evidence bucket keep payment records safe. */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPIRY_RULES, WORK_PREFIX } from '../../lib/evidence/lifecycle.ts';
import { reportKeyOf, runWorkPrefixOf } from '../../lib/reconciliation/files.ts';
import { tableDefinition } from '../../lib/storage/table-definition.ts';
import { logicalIdOf, type Synthesized, synthesize } from './synth.ts';

let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synthesize();
});

function tableProperties() {
  const { stack, template } = synthesized;
  return template.toJSON().Resources[logicalIdOf(stack, stack.data.table)].Properties;
}

describe('the table', () => {
  it('has the key schema of the shared table definition', () => {
    expect(tableProperties().KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey.name, KeyType: 'RANGE' },
    ]);
  });

  it('has every index of the shared table definition, with its keys and all attributes projected', () => {
    const indexes = tableProperties().GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: unknown;
      Projection: unknown;
    }[];

    expect(indexes).toEqual(
      tableDefinition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('declares each key attribute with the type the shared definition gives it', () => {
    const keys = [
      tableDefinition.partitionKey,
      tableDefinition.sortKey,
      ...tableDefinition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];

    expect(tableProperties().AttributeDefinitions).toEqual(
      expect.arrayContaining(keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type }))),
    );
    expect(tableProperties().AttributeDefinitions).toHaveLength(new Set(keys.map((key) => key.name)).size);
  });

  it('expires items through the TTL attribute of the shared definition', () => {
    expect(tableProperties().TimeToLiveSpecification).toEqual({
      AttributeName: tableDefinition.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('streams the keys of what is written, for the workflow outbox’s dispatcher, and no item’s data', () => {
    expect(tableProperties().StreamSpecification).toEqual({ StreamViewType: tableDefinition.stream });
    expect(tableDefinition.stream).toBe('KEYS_ONLY');
  });

  it('is billed per request', () => {
    expect(tableProperties().BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('keeps point-in-time recovery and deletion protection on', () => {
    expect(tableProperties().Replicas).toEqual([
      expect.objectContaining({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    ]);
  });

  it('is encrypted with a KMS key', () => {
    expect(tableProperties().SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
  });

  it('is retained when the stack is deleted or the table replaced', () => {
    const { stack, template } = synthesized;
    const table = template.toJSON().Resources[logicalIdOf(stack, stack.data.table)];

    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('the evidence bucket', () => {
  const bucket = () => {
    const { stack, template } = synthesized;
    return template.toJSON().Resources[logicalIdOf(stack, stack.data.evidenceBucket)];
  };

  it('blocks every kind of public access', () => {
    expect(bucket().Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('encrypts objects at rest', () => {
    expect(bucket().Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: expect.stringMatching(/^(AES256|aws:kms)$/) } },
    ]);
  });

  it('refuses every request that is not over TLS', () => {
    const { stack, template } = synthesized;
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(stack, stack.data.evidenceBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('keeps every version of every object', () => {
    expect(bucket().Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('writes its server access logs to a separate bucket', () => {
    const logging = bucket().Properties.LoggingConfiguration;

    expect(logging.DestinationBucketName.Ref).toBeDefined();
    expect(logging.DestinationBucketName.Ref).not.toBe(
      logicalIdOf(synthesized.stack, synthesized.stack.data.evidenceBucket),
    );
  });

  it('is retained when the stack is deleted', () => {
    expect(bucket().DeletionPolicy).toBe('Retain');
  });

  it('lets working objects expire, versions and delete markers too, and nothing else', () => {
    const rules = bucket().Properties.LifecycleConfiguration.Rules as {
      Id: string;
      Prefix?: string;
      ExpirationInDays?: number;
      ExpiredObjectDeleteMarker?: boolean;
      NoncurrentVersionExpiration?: { NoncurrentDays: number };
      AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
    }[];

    // Every rule that deletes objects is confined to the working prefix: evidence never expires.
    for (const rule of rules.filter((r) => r.ExpirationInDays || r.ExpiredObjectDeleteMarker))
      expect(rule.Prefix, rule.Id).toBe(WORK_PREFIX);
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: WORK_PREFIX,
        ExpirationInDays: EXPIRY_RULES[0]?.expireAfterDays,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        Status: 'Enabled',
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: WORK_PREFIX, ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
  });

  it('keeps a reconciliation run’s working objects under the prefix that expires', () => {
    expect(runWorkPrefixOf('ENT-1', '2026-09-28', 3).startsWith(WORK_PREFIX)).toBe(true);
    expect(reportKeyOf('ENT-1', '2026-09-28', 3).startsWith(WORK_PREFIX)).toBe(false);
  });
});

describe('the access-log bucket', () => {
  const logBucketId = () => bucketLogging().DestinationBucketName.Ref as string;
  const bucketLogging = () => {
    const { stack, template } = synthesized;
    return template.toJSON().Resources[logicalIdOf(stack, stack.data.evidenceBucket)].Properties
      .LoggingConfiguration;
  };

  it('is private, encrypted and has ACLs turned off', () => {
    const logBucket = synthesized.template.toJSON().Resources[logBucketId()];

    expect(logBucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(logBucket.Properties.BucketEncryption).toBeDefined();
    expect(logBucket.Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    expect(logBucket.Properties.AccessControl).toBeUndefined();
    expect(logBucket.DeletionPolicy).toBe('Retain');
  });

  it('lets only S3 log delivery for the evidence bucket write, and only over TLS', () => {
    synthesized.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: Match.objectLike({
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::GetAtt': [
                    logicalIdOf(synthesized.stack, synthesized.stack.data.evidenceBucket),
                    'Arn',
                  ],
                },
              },
            }),
          }),
        ]),
      },
    });
  });
});
