import { adminApi } from '#lib/admin/web.ts';
import { functions } from '#lib/http/routes.ts';
import { identityDirectory } from '#lib/runtime/adapters/identity-directory.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = adminApi;
export const handler = lambdaHandler(functions.adminApi, { table, identityDirectory }, createHandler);
