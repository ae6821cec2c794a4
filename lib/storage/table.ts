/** A thin typed wrapper over the document client: the table name and the few calls repositories share. */

import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../domain/errors.ts';
import type { Page } from '../platform/store.ts';
import { tableDefinition } from './table-definition.ts';

export type { Page };

export type Item = Record<string, unknown>;
const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'statusPk',
  'statusSk',
  'applicantPk',
  'applicantSk',
  'paymentPk',
  'paymentSk',
  'invoiceStatusPk',
  'invoiceStatusSk',
  'invoiceBatchPk',
  'invoiceBatchSk',
  'awaitingPk',
  'awaitingSk',
  'completePk',
  'completeSk',
  'auditActorPk',
  'auditActorSk',
  'invoiceFlagPk',
  'invoiceFlagSk',
  'expiresAt',
];

/** Strips storage attributes, leaving the domain object that was stored. */
export function withoutKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy as T;
}

/** The longest sort key DynamoDB takes; every key fundflow builds is far shorter. */
const MAX_SORT_KEY_BYTES = 1024;

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * The ExclusiveStartKey a cursor carries: exactly the key attributes of the table (and of the index
 * queried), each a non-empty string, in the partition being queried — anything else is refused here
 * rather than by DynamoDB (a 500).
 */
export function decodeCursor(
  cursor: string | undefined,
  query: { indexName?: string | undefined; partition?: unknown } = {},
): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  const { names, partitionKey } = keyAttributesOf(query.indexName);
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof key === 'object' &&
      key !== null &&
      !Array.isArray(key) &&
      Object.keys(key).length === names.length &&
      names.every((name) => {
        const value = (key as Record<string, unknown>)[name];
        // DynamoDB's own bounds (a partition key ≤ 2,048 bytes, a sort key ≤ 1,024): ours are far shorter.
        return typeof value === 'string' && value !== '' && Buffer.byteLength(value) <= MAX_SORT_KEY_BYTES;
      }) &&
      (query.partition === undefined || (key as Record<string, unknown>)[partitionKey] === query.partition)
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // fall through to the refusal below
  }
  throw unknownCursor();
}

function unknownCursor(): ValidationError {
  return new ValidationError('The cursor is not one this API issued.', {
    issues: [{ path: 'cursor', message: 'unknown cursor' }],
  });
}

function keyAttributesOf(indexName: string | undefined): { names: string[]; partitionKey: string } {
  const table = [tableDefinition.partitionKey.name, tableDefinition.sortKey.name];
  if (!indexName) return { names: table, partitionKey: tableDefinition.partitionKey.name };
  const index = tableDefinition.globalSecondaryIndexes.find((candidate) => candidate.indexName === indexName);
  if (!index) throw new Error(`no index ${indexName}`);
  return {
    names: [...table, index.partitionKey.name, index.sortKey.name],
    partitionKey: index.partitionKey.name,
  };
}

export class Table {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get(key: { pk: string; sk: string }, consistent = true): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.name, Key: key, ConsistentRead: consistent }),
    );
    return result.Item;
  }

  /** All items of one partition under a sort-key prefix (bounded partitions only). */
  async queryPrefix(pk: string, skPrefix: string, consistent = true): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.name,
          // An empty prefix means the whole partition (begins_with refuses an empty string).
          ...(skPrefix === ''
            ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }
            : {
                KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
                ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
              }),
          ConsistentRead: consistent,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Every page of a query (bounded result sets only: one payment run, one partition). */
  async queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: startKey }),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * One page of a query whose partition key value is `:pk`; `cursor` continues where one ended. It
   * reads one item more than `Limit`, so a page that ends the list says so (no cursor to an empty page).
   */
  async queryPage(input: Omit<QueryCommandInput, 'TableName'>, cursor?: string): Promise<Page<Item>> {
    const startKey = decodeCursor(cursor, {
      indexName: input.IndexName,
      partition: input.ExpressionAttributeValues?.[':pk'],
    });
    const limit = input.Limit;
    const result = await this.client.send(
      new QueryCommand({
        ...input,
        ...(limit === undefined ? {} : { Limit: limit + 1 }),
        TableName: this.name,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = result.Items ?? [];
    if (limit !== undefined && items.length > limit) {
      const page = items.slice(0, limit);
      const last = page[limit - 1] ?? {};
      const key = Object.fromEntries(
        keyAttributesOf(input.IndexName).names.map((name) => [name, last[name]]),
      );
      return { items: page, nextCursor: encodeCursor(key) };
    }
    return { items, nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }
}
