import { createApprovalPagesHandler } from '#lib/approvals/approval-page-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { linkKey } from '#lib/runtime/adapters/link-key.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = createApprovalPagesHandler;
export const handler = lambdaHandler(functions.approvalPages, { table, evidence, linkKey }, createHandler);
