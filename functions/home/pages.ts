import { homePages } from '#lib/home/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = homePages;
export const handler = lambdaHandler(createHandler);
