import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient, ensureTable } from '../../lib/storage/dynamo-client.ts';

export interface TestTable {
  tableName: string;
  client: DynamoDBDocumentClient;
  endpoint: string;
}

/** A new, empty table on the run's DynamoDB Local, built from the shared table definition. */
export async function freshTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const client = createDocumentClient({ region: 'local', endpoint });
  const tableName = `fundflow-test-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { tableName, client, endpoint };
}
