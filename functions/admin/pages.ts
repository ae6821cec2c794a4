import { adminPages } from '#lib/admin/pages.ts';
import { functions } from '#lib/http/routes.ts';
import { identityDirectory } from '#lib/runtime/adapters/identity-directory.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = adminPages;
export const handler = lambdaHandler(
  functions.adminPages,
  { table, sessions, identityDirectory },
  createHandler,
);
