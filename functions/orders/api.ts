import { functions } from '#lib/http/routes.ts';
import { ordersApi } from '#lib/orders/web.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = ordersApi;
export const handler = lambdaHandler(functions.ordersApi, { table }, createHandler);
