import { lambdaHandler } from '#lib/runtime/aws-deps.ts';
import { uploadsPages } from '#lib/uploads/web.ts';

export const createHandler = uploadsPages;
export const handler = lambdaHandler(createHandler);
