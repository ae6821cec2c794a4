import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { uploadsApi } from '#lib/uploads/web.ts';

export const createHandler = uploadsApi;
export const handler = lambdaHandler(functions.uploadsApi, { table, evidence }, createHandler);
