import { functions } from '#lib/http/routes.ts';
import { reconciliationApi } from '#lib/reconciliation/web.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = reconciliationApi;
export const handler = lambdaHandler(functions.reconciliationApi, { table, evidence }, createHandler);
