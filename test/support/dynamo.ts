import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject, onTestFinished } from 'vitest';
import { createDocumentClient, ensureTable } from '../../lib/storage/dynamo-client.ts';
import { tableDefinition } from '../../lib/storage/table-definition.ts';

export interface TestTable {
  tableName: string;
  client: DynamoDBDocumentClient;
  endpoint: string;
}

/**
 * Tables are lent, not made. DynamoDB Local gets slower with every table it has created or dropped
 * (measured: its CPU for the same test world grew 4–10× over a hundred create/drop cycles, which
 * made the suite's later files ten times slower than alone), so each worker keeps a few tables and
 * empties one before lending it again. A table taken inside a test goes back when the test ends; one
 * taken in `beforeAll` or at module level stays with the file. A returned table waits behind
 * `MIN_RESTING` others before it is lent again, so nothing a finished test left in flight lands in a
 * later test's table. Each test file runs in its own process, so nothing outlives its file.
 */
const MIN_RESTING = 3;
const resting: string[] = [];
let made = 0;

function worker(): string {
  return process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
}

function lend(): string {
  if (resting.length > MIN_RESTING) return resting.shift() as string;
  made += 1;
  return `fundflow-test-w${worker()}-${made}`;
}

function giveBackAfterThisTest(tableName: string): void {
  try {
    onTestFinished(() => {
      resting.push(tableName);
    });
  } catch {
    // Outside a test (beforeAll, module level): the table stays with the file.
  }
}

/** Deletes every item (the table may hold a file's earlier test world or an earlier file's). */
export async function emptyTable(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey } = tableDefinition;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { '#pk': partitionKey.name, '#sk': sortKey.name },
        ExclusiveStartKey: start,
      }),
    );
    start = page.LastEvaluatedKey;
    const keys = page.Items ?? [];
    for (let at = 0; at < keys.length; at += 25) {
      await writeAll(
        client,
        tableName,
        keys.slice(at, at + 25).map((key) => ({ DeleteRequest: { Key: key } })),
      );
    }
  } while (start);
}

/** Puts items as they are, 25 to a request (a copy of a seeded world). */
export async function putAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  for (let at = 0; at < items.length; at += 25) {
    await writeAll(
      client,
      tableName,
      items.slice(at, at + 25).map((item) => ({ PutRequest: { Item: item } })),
    );
  }
}

/** Every item of the table, as stored. */
export async function scanAll(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    start = page.LastEvaluatedKey;
    items.push(...(page.Items ?? []));
  } while (start);
  return items;
}

type WriteRequest = NonNullable<
  ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']
>[string][number];

async function writeAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
): Promise<void> {
  let pending = requests;
  while (pending.length > 0) {
    const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  }
}

/** An empty table on the run's DynamoDB Local, built from the shared table definition. */
export async function freshTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const client = createDocumentClient({ region: 'local', endpoint });
  const tableName = lend();
  await ensureTable(client, tableName);
  await emptyTable(client, tableName);
  giveBackAfterThisTest(tableName);
  return { tableName, client, endpoint };
}

/**
 * A table for a local runtime started on the data folder: the one it had, when the runtime is
 * started again on the same folder (a restart keeps its data), else a fresh one.
 */
export async function runtimeTable(dataDir: string): Promise<{ endpoint: string; tableName: string }> {
  const file = path.join(dataDir, 'test-table-name');
  if (existsSync(file)) return { endpoint: inject('dynamoEndpoint'), tableName: readFileSync(file, 'utf8') };
  const { endpoint, tableName } = await freshTable();
  writeFileSync(file, tableName);
  return { endpoint, tableName };
}
