import type { AppDeps } from '#lib/app.ts';
import { matchRunPartition } from '#lib/reconciliation/run-tasks.ts';
import { partitionInput } from '#lib/reconciliation/task-schemas.ts';
import { reconciliationTasks } from '#lib/reconciliation/tasks.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, partitionInput, matchRunPartition);
export const handler = lambdaTaskHandler(
  reconciliationTasks.matchPartition,
  { table, evidence },
  createHandler,
);
