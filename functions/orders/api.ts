import { ordersApi } from '#lib/orders/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = ordersApi;
export const handler = lambdaHandler(createHandler);
