import { approvalsApi } from '#lib/approvals/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = approvalsApi;
export const handler = lambdaHandler(createHandler);
