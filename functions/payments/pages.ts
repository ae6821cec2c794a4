import { functions } from '#lib/http/routes.ts';
import { paymentsPages } from '#lib/payments/pages.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = paymentsPages;
export const handler = lambdaHandler(
  functions.paymentsPages,
  { table, evidence, mail, sessions },
  createHandler,
);
