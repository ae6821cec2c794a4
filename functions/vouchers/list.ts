import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { VOUCHER_STATUSES } from '#lib/domain/model.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { listVouchers } from '#lib/vouchers/read-vouchers.ts';
import { voucherView } from '#lib/vouchers/voucher-view.ts';

export const listVouchersQuery = z.strictObject({
  status: z.enum(VOUCHER_STATUSES).optional(),
  mine: z
    .enum(['true', 'false'], { message: 'mine is true or false' })
    .optional()
    .transform((value) => value === 'true'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
});

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { query: listVouchersQuery }, async ({ query, caller }) => {
    const page = await listVouchers(deps, caller, query);
    return json(200, {
      items: page.items.map((voucher) => voucherView(voucher, caller)),
      nextCursor: page.nextCursor,
    });
  });

export const handler = lambdaHandler(functions.listVouchers, { table }, createHandler);
