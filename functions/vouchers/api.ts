import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { vouchersApi } from '#lib/vouchers/web.ts';

export const createHandler = vouchersApi;
export const handler = lambdaHandler(functions.vouchersApi, { table, evidence }, createHandler);
