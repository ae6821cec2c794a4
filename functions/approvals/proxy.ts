import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { recordProxyApproval } from '#lib/approvals/travelling-approver.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { recordId } from '#lib/http/input.ts';
import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { linkKey } from '#lib/runtime/adapters/link-key.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
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

export const handler = lambdaHandler(
  functions.recordProxyApproval,
  { table, evidence, mail, linkKey },
  createHandler,
);
