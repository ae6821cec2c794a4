import type { AppDeps } from '#lib/app.ts';
import { requestApproval } from '#lib/approvals/workflow-tasks.ts';
import { linkKey } from '#lib/runtime/adapters/link-key.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { workflows } from '#lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { voucherTasks } from '#lib/workflow/approval-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { callbackInput } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, callbackInput, requestApproval);
export const handler = lambdaTaskHandler(
  voucherTasks.requestApproval,
  { table, mail, linkKey, workflows },
  createHandler,
);
