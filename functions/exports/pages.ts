import { exportsPages } from '#lib/exports/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = exportsPages;
export const handler = lambdaHandler(createHandler);
