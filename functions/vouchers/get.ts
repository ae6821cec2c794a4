import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { recordId } from '#lib/http/input.ts';
import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { getVoucher } from '#lib/vouchers/read-vouchers.ts';
import { historyView, voucherView } from '#lib/vouchers/voucher-view.ts';

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { params: z.object({ id: recordId('voucher id') }) }, async ({ params, caller }) => {
    const { voucher, history } = await getVoucher(deps, caller, params.id);
    return json(200, { ...voucherView(voucher, caller), history: historyView(history) });
  });

export const handler = lambdaHandler(functions.getVoucher, { table }, createHandler);
