import { paymentsPages } from '#lib/payments/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = paymentsPages;
export const handler = lambdaHandler(createHandler);
