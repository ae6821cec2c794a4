import { functions } from '#lib/http/routes.ts';
import { invoicingApi } from '#lib/invoicing/web.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = invoicingApi;
export const handler = lambdaHandler(functions.invoicingApi, { table }, createHandler);
