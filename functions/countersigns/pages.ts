import { createCountersignPagesHandler } from '#lib/approvals/countersign-page-handler.tsx';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = createCountersignPagesHandler;
export const handler = lambdaHandler(createHandler);
