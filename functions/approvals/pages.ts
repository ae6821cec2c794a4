import { approvalsPages } from '#lib/approvals/pages.ts';
import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { linkKey } from '#lib/runtime/adapters/link-key.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = approvalsPages;
export const handler = lambdaHandler(
  functions.approvalsPages,
  { table, evidence, mail, linkKey },
  createHandler,
);
