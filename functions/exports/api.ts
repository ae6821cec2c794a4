import { exportsApi } from '#lib/exports/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = exportsApi;
export const handler = lambdaHandler(createHandler);
