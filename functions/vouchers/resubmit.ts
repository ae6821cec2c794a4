import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { recordId } from '#lib/http/input.ts';
import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { editedPayee, submitVoucherBody } from '#lib/vouchers/schemas.ts';
import { resubmitVoucher } from '#lib/vouchers/submit-voucher.ts';
import { voucherView } from '#lib/vouchers/voucher-view.ts';
import { idempotencyKeyFrom } from './submit.ts';

/**
 * POLICY D19: the applicant's edit of a rejected voucher — a new version and a new approval chain. The
 * body is the submission's; `payee.account` left out, or sent back masked as the voucher shows it,
 * keeps the stored account.
 */
export const resubmitVoucherBody = submitVoucherBody.extend({ payee: editedPayee });

export const createHandler = (deps: AppDeps) =>
  apiHandler(
    deps,
    { body: resubmitVoucherBody, params: z.object({ id: recordId('voucher id') }) },
    async ({ body, params, headers, caller }) => {
      const { voucher, replayed } = await resubmitVoucher(deps, caller, params.id, {
        ...body,
        idempotencyKey: idempotencyKeyFrom(headers),
      });
      return json(200, voucherView(voucher, caller), replayed ? { 'idempotent-replayed': 'true' } : {});
    },
  );

export const handler = lambdaHandler(functions.resubmitVoucher, { table, evidence }, createHandler);
