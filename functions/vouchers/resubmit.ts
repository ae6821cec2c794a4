import { z } from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';
import { submitVoucherBody } from '#lib/vouchers/schemas.ts';
import { resubmitVoucher } from '#lib/vouchers/submit-voucher.ts';
import { voucherView } from '#lib/vouchers/voucher-view.ts';
import { idempotencyKeyFrom } from './submit.ts';

/** POLICY D19: the applicant's edit of a rejected voucher — a new version and a new approval chain. */
export const createHandler = (deps: AppDeps) =>
  apiHandler(
    deps,
    { body: submitVoucherBody, params: z.object({ id: z.string().min(1).max(64) }) },
    async ({ body, params, headers, caller }) => {
      const { voucher, replayed } = await resubmitVoucher(deps, caller, params.id, {
        ...body,
        idempotencyKey: idempotencyKeyFrom(headers),
      });
      return json(200, voucherView(voucher, caller), replayed ? { 'idempotent-replayed': 'true' } : {});
    },
  );

export const handler = lambdaHandler(createHandler);
