import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { suppliersApi } from '#lib/suppliers/web.ts';

export const createHandler = suppliersApi;
export const handler = lambdaHandler(functions.suppliersApi, { table }, createHandler);
