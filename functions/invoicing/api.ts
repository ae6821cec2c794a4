import { invoicingApi } from '#lib/invoicing/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = invoicingApi;
export const handler = lambdaHandler(createHandler);
