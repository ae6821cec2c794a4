import { exportsApi } from '#lib/exports/web.ts';
import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = exportsApi;
export const handler = lambdaHandler(functions.exportsApi, { table, evidence }, createHandler);
