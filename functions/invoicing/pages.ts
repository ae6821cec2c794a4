import { functions } from '#lib/http/routes.ts';
import { invoicingPages } from '#lib/invoicing/pages.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = invoicingPages;
export const handler = lambdaHandler(functions.invoicingPages, { table, sessions }, createHandler);
