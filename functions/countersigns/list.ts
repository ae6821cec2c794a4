import { hasRole } from '#lib/access.ts';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

/** POLICY D6: outstanding countersigns are listed — finance sees all, an approver their own. */
export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, {}, async ({ caller }) => {
    const everyone = hasRole(caller, 'FINANCE_REVIEWER', 'ADMIN', 'CEO');
    const items = await deps.store.approvals.pendingCountersigns(everyone ? undefined : caller.email);
    return json(200, { items });
  });

export const handler = lambdaHandler(functions.listCountersigns, { table }, createHandler);
