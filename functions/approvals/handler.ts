import { createApprovalPagesHandler } from '#lib/approvals/approval-page-handler.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = createApprovalPagesHandler;
export const handler = lambdaHandler(createHandler);
