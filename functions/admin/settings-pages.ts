import { settingsPages } from '#lib/admin/settings-pages.ts';
import { functions } from '#lib/http/routes.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = settingsPages;
export const handler = lambdaHandler(functions.settingsPages, { table, sessions }, createHandler);
