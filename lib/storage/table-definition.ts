/**
 * The one DynamoDB table, defined once. CDK (infra/), the local runtime and the tests all build the
 * table from this object, so the three can never drift. Every access pattern it serves is listed in
 * docs/data-model.md; the GSIs are named after the access pattern they serve.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
}

export const tableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** Epoch seconds; idempotency records and other short-lived items expire through TTL. */
  timeToLiveAttribute: 'expiresAt',
  /**
   * The table's stream: keys only. Its one consumer, the workflow outbox's dispatcher, reads the item
   * again anyway (to know it is still owed), and keys only keep every other item's data — full bank
   * accounts among it — out of the stream.
   */
  stream: 'KEYS_ONLY',
  globalSecondaryIndexes: [
    /** Vouchers of one legal entity in one status, oldest submission first. */
    {
      indexName: 'vouchersByStatus',
      partitionKey: { name: 'statusPk', type: 'S' },
      sortKey: { name: 'statusSk', type: 'S' },
    },
    /** Vouchers one person submitted, newest first when read backwards. */
    {
      indexName: 'vouchersByApplicant',
      partitionKey: { name: 'applicantPk', type: 'S' },
      sortKey: { name: 'applicantSk', type: 'S' },
    },
    /** Payment runs and payments awaiting their invoice: per entity and status, by the day that places them. */
    {
      indexName: 'paymentsByDay',
      partitionKey: { name: 'paymentPk', type: 'S' },
      sortKey: { name: 'paymentSk', type: 'S' },
    },
    /** Invoice requests of one entity in one status, by batch day then recording (POLICY 4, D12). */
    {
      indexName: 'invoiceRequestsByStatus',
      partitionKey: { name: 'invoiceStatusPk', type: 'S' },
      sortKey: { name: 'invoiceStatusSk', type: 'S' },
    },
    /** The requests of one entity's batch, whatever their status, by request number (D12, D13). */
    {
      indexName: 'invoiceRequestsByBatch',
      partitionKey: { name: 'invoiceBatchPk', type: 'S' },
      sortKey: { name: 'invoiceBatchSk', type: 'S' },
    },
    /**
     * What waits for one person ("待我处理 Waiting for me"): the step they hold, a rejected voucher to
     * edit, an invoice to record — by kind of work, oldest first. Sparse: only vouchers that wait.
     */
    {
      indexName: 'vouchersAwaiting',
      partitionKey: { name: 'awaitingPk', type: 'S' },
      sortKey: { name: 'awaitingSk', type: 'S' },
    },
    /**
     * Orders of one legal entity by the instant they became complete and recorded (sparse: only such
     * orders carry its keys), so a daily export's window is one key condition (POLICY 3.1, D10).
     */
    {
      indexName: 'ordersCompleteRecorded',
      partitionKey: { name: 'completePk', type: 'S' },
      sortKey: { name: 'completeSk', type: 'S' },
    },
    /**
     * Everything one person did (the audit view, issue 14 §8): every audit event, whatever it is about
     * (a voucher, a supplier, a person, an entity, the policy, the calendar…), under its actor, by
     * instant — a day range is one key condition. Events written before the index have no keys in it.
     */
    {
      indexName: 'auditByActor',
      partitionKey: { name: 'auditActorPk', type: 'S' },
      sortKey: { name: 'auditActorSk', type: 'S' },
    },
    /**
     * Invoice requests of one entity flagged for a red-letter reversal, oldest flag first (issue 13
     * §4). Sparse: only a request whose flag is open carries its keys.
     */
    {
      indexName: 'invoiceRequestsFlagged',
      partitionKey: { name: 'invoiceFlagPk', type: 'S' },
      sortKey: { name: 'invoiceFlagSk', type: 'S' },
    },
  ],
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  stream: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  globalSecondaryIndexes: readonly IndexDefinition[];
};

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/** The same definition as a CreateTable request, for DynamoDB Local. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const keyAttributes = new Map<string, KeyAttribute>();
  for (const key of [
    tableDefinition.partitionKey,
    tableDefinition.sortKey,
    ...tableDefinition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]) {
    keyAttributes.set(key.name, key);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyAttributes.values()].map((key) => ({
      AttributeName: key.name,
      AttributeType: key.type,
    })),
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey.name, KeyType: 'RANGE' },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.stream },
    GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
