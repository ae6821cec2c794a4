import { lambdaHandler } from '#lib/runtime/aws-deps.ts';
import { suppliersApi } from '#lib/suppliers/web.ts';

export const createHandler = suppliersApi;
export const handler = lambdaHandler(createHandler);
