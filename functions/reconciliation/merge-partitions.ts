import type { AppDeps } from '#lib/app.ts';
import { mergeRun } from '#lib/reconciliation/run-tasks.ts';
import { runInput } from '#lib/reconciliation/task-schemas.ts';
import { reconciliationTasks } from '#lib/reconciliation/tasks.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, runInput, mergeRun);
export const handler = lambdaTaskHandler(
  reconciliationTasks.mergePartitions,
  { table, evidence },
  createHandler,
);
