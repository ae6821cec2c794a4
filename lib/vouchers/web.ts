/**
 * The vouchers' JSON API (submit, resubmit, read, list), its schemas beside it (and in schemas.ts,
 * shared with the form). The pages are lib/vouchers/pages.ts, apart, so the JSON function never
 * carries them (lib/ui, preact).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { VOUCHER_STATUSES } from '../domain/model.ts';
import { json } from '../http/api-handler.ts';
import { idempotencyKeyFrom } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { vouchersApiRoutes } from '../http/routes.ts';
import { getVoucher, listVouchers, voucherByNumber } from './read-vouchers.ts';
import { resubmitVoucherBody, submitVoucherBody, voucherIdParams } from './schemas.ts';
import { resubmitVoucher, submitVoucher } from './submit-voucher.ts';
import { historyView, voucherView } from './voucher-view.ts';

/**
 * POLICY D19: the applicant's edit of a rejected voucher — a new version and a new approval chain. The
 * body is the submission's; `payee.account` left out, or sent back masked as the voucher shows it,
 * keeps the stored account.
 */

export const listVouchersQuery = lazySchema(() =>
  z.strictObject({
    status: z.enum(VOUCHER_STATUSES).optional(),
    mine: z
      .enum(['true', 'false'], { message: 'mine 只能是 true 或 false mine is true or false' })
      .optional()
      .transform((value) => value === 'true'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(2000).optional(),
    /** The short number (`FK-20261202-0007`): the one voucher it names, if the caller may read it. */
    number: z.string().max(40).optional(),
  }),
);

export const vouchersApi = (deps: AppDeps) =>
  apiFunction(deps, vouchersApiRoutes, {
    submitVoucher: jwt({ body: submitVoucherBody }, async ({ body, headers, caller }) => {
      const { voucher, replayed } = await submitVoucher(deps, caller, {
        ...body,
        idempotencyKey: idempotencyKeyFrom(headers),
      });
      return json(201, voucherView(voucher, caller), replayed ? { 'idempotent-replayed': 'true' } : {});
    }),
    resubmitVoucher: jwt(
      { body: resubmitVoucherBody, params: voucherIdParams },
      async ({ body, params, headers, caller }) => {
        const { voucher, replayed } = await resubmitVoucher(deps, caller, params.id, {
          ...body,
          idempotencyKey: idempotencyKeyFrom(headers),
        });
        return json(200, voucherView(voucher, caller), replayed ? { 'idempotent-replayed': 'true' } : {});
      },
    ),
    getVoucher: jwt({ params: voucherIdParams }, async ({ params, caller }) => {
      const { voucher, history } = await getVoucher(deps, caller, params.id);
      return json(200, { ...voucherView(voucher, caller), history: historyView(history) });
    }),
    listVouchers: jwt({ query: listVouchersQuery }, async ({ query, caller }) => {
      if (query.number !== undefined) {
        const found = await voucherByNumber(deps, caller, query.number);
        return json(200, { items: found ? [voucherView(found, caller)] : [], nextCursor: null });
      }
      const page = await listVouchers(deps, caller, query);
      return json(200, {
        items: page.items.map((voucher) => voucherView(voucher, caller)),
        nextCursor: page.nextCursor,
      });
    }),
  });
