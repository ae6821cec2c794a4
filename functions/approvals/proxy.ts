import { z } from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { recordProxyApproval } from '#lib/approvals/travelling-approver.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { recordId } from '#lib/http/input.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';
import { voucherView } from '#lib/vouchers/voucher-view.ts';

export const proxyApprovalBody = z.strictObject({
  step: z.enum(['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW', 'PAYMENT']),
  consentEmail: z.string().min(1).max(300),
});

export const createHandler = (deps: AppDeps) =>
  apiHandler(
    deps,
    { body: proxyApprovalBody, params: z.object({ id: recordId('voucher id') }) },
    async ({ body, params, caller }) =>
      json(200, voucherView(await recordProxyApproval(deps, caller, params.id, body), caller)),
  );

export const handler = lambdaHandler(createHandler);
