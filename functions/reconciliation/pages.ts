import { functions } from '#lib/http/routes.ts';
import { reconciliationPages } from '#lib/reconciliation/pages.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = reconciliationPages;
export const handler = lambdaHandler(
  functions.reconciliationPages,
  { table, evidence, sessions },
  createHandler,
);
