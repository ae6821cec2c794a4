import { approvalsPages } from '#lib/approvals/web.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = approvalsPages;
export const handler = lambdaHandler(createHandler);
