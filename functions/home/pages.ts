import { homePages } from '#lib/home/pages.ts';
import { functions } from '#lib/http/routes.ts';
import { linkKey } from '#lib/runtime/adapters/link-key.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { signIn } from '#lib/runtime/adapters/sign-in.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = homePages;
export const handler = lambdaHandler(
  functions.homePages,
  { table, linkKey, sessions, signIn },
  createHandler,
);
