import { homePages } from '#lib/home/web.ts';
import { functions } from '#lib/http/routes.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = homePages;
export const handler = lambdaHandler(functions.homePages, { table, sessions }, createHandler);
