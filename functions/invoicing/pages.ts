import { invoicingPages } from '#lib/invoicing/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = invoicingPages;
export const handler = lambdaHandler(createHandler);
