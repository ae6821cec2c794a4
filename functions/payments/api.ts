import { functions } from '#lib/http/routes.ts';
import { paymentsApi } from '#lib/payments/web.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = paymentsApi;
export const handler = lambdaHandler(functions.paymentsApi, { table, evidence, mail }, createHandler);
