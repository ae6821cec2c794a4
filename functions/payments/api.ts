import { paymentsApi } from '#lib/payments/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = paymentsApi;
export const handler = lambdaHandler(createHandler);
