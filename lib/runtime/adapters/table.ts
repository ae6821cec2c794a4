/** Need `table`: the one DynamoDB table, through one document client per container. */

import { createDocumentClient } from '../../storage/dynamo-client.ts';
import { createStore } from '../../storage/store.ts';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';

// Region and credentials from the Lambda environment, as every SDK client here.
const client = createDocumentClient({});

export const table: Adapter<'table'> = {
  provide: (config) => ({ deps: { store: createStore(client, configValue(config, 'TABLE_NAME')) } }),
};
