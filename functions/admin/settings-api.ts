import { settingsApi } from '#lib/admin/settings-web.ts';
import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = settingsApi;
export const handler = lambdaHandler(functions.settingsApi, { table }, createHandler);
