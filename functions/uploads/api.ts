import { lambdaHandler } from '#lib/runtime/aws-deps.ts';
import { uploadsApi } from '#lib/uploads/web.ts';

export const createHandler = uploadsApi;
export const handler = lambdaHandler(createHandler);
