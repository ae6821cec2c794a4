import { createCountersignPagesHandler } from '#lib/approvals/countersign-page-handler.tsx';
import { functions } from '#lib/http/routes.ts';
import { linkKey } from '#lib/runtime/adapters/link-key.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = createCountersignPagesHandler;
export const handler = lambdaHandler(functions.countersignPages, { table, linkKey, mail }, createHandler);
