import { createPagesHandler } from '#lib/pages/page-handler.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = createPagesHandler;
export const handler = lambdaHandler(createHandler);
