import { lambdaHandler } from '#lib/runtime/aws-deps.ts';
import { vouchersApi } from '#lib/vouchers/web.ts';

export const createHandler = vouchersApi;
export const handler = lambdaHandler(createHandler);
